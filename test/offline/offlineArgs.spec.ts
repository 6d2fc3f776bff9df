/**
 * The offline commands' arguments that point at files: a program that is not there, and a stack
 * file holding a secret, which only the Pulumi CLI can decrypt.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseStackCommand, StackCommand } from "../../offline/cliArgs";
import { PROJECT_DIR } from "../../offline/paths";
import { makeTempDir } from "../support/tempDir";

describe("npm run preview / policy: arguments naming files", () => {
  it("--program that does not exist: one line naming it, no require stack", () => {
    assert.throws(
      () => parseStackCommand(["--stack", "prod", "--program", "/nonexistent.ts"], "preview", {}),
      (error: Error) =>
        /^--program "\/nonexistent\.ts": no such file \(the program's entry point, e\.g\. index\.ts\)\nusage: /.test(
          error.message,
        ) && !/Require stack/.test(error.message),
    );
  });

  describe("a stack file with a secure: value", () => {
    let temp: ReturnType<typeof makeTempDir>;
    beforeEach(() => {
      temp = makeTempDir("secure-config");
      fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(temp.dir, "Pulumi.yaml"));
      fs.writeFileSync(
        path.join(temp.dir, "Pulumi.ci.yaml"),
        "config:\n  aws:region: eu-west-1\n  cloudfront-collector:customDomain: c.example.com\n" +
          "  cloudfront-collector:certificateArn:\n    secure: AAABADQXFxcXFxcXFw==\n",
      );
    });
    afterEach(() => temp.cleanup());

    it("is refused with the key, the line, and that secrets are not read offline", () => {
      assert.throws(
        () => parseStackCommand(["--stack", "ci", "--cwd", temp.dir], "preview", {}),
        (error: Error) =>
          /^Pulumi\.ci\.yaml:4: cloudfront-collector:certificateArn is a secret \(secure:\)/.test(
            error.message,
          ) &&
          /offline .* do not decrypt secrets/.test(error.message) &&
          /--config certificateArn=VALUE/.test(error.message),
      );
    });

    it("runs with a stand-in value given for the run, the secret's ciphertext never used", () => {
      const arn = "arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555";
      const command = parseStackCommand(
        ["--stack", "ci", "--cwd", temp.dir, "--config", `certificateArn=${arn}`],
        "preview",
        {},
      ) as StackCommand;
      assert.strictEqual(command.settings.config["cloudfront-collector:certificateArn"], arn);
      assert.ok(!Object.values(command.settings.config).some((v) => v.includes("AAABAD")));
    });
  });
});
