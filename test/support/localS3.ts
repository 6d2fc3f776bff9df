/**
 * A real S3-compatible server on loopback (s3rver), with a log bucket, and the same client the
 * commands build. Dummy credentials go into this process's environment only while it runs.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import * as zlib from "zlib";
import { makeS3Client } from "../../logs/s3Client";
import { makeTempDir } from "./tempDir";

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Names of the S3 commands the client sent, in order. */
  commands: string[];
  putLog(bucket: string, key: string, text: string): Promise<void>;
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  close(): Promise<void>;
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" };

export async function startLocalS3(bucket: string): Promise<LocalS3> {
  const saved = {
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
  };
  Object.assign(process.env, CREDENTIALS);
  const temp = makeTempDir("s3rver");
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory: temp.dir, silent: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = makeS3Client({ region: "us-east-1", endpoint });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      commands.push(context.commandName ?? "?");
      return next(args);
    },
    { step: "initialize" },
  );
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const putObject = async (b: string, key: string, body: Buffer) => {
    await client.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }));
  };
  return {
    endpoint,
    client,
    commands,
    putObject,
    putLog: (b, key, text) => putObject(b, key, zlib.gzipSync(text)),
    close: async () => {
      client.destroy();
      await server.close();
      temp.cleanup();
      if (saved.AWS_ACCESS_KEY_ID === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.AWS_ACCESS_KEY_ID;
      if (saved.AWS_SECRET_ACCESS_KEY === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.AWS_SECRET_ACCESS_KEY;
    },
  };
}
