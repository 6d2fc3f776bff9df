/**
 * No AWS credentials is bad input, like a missing option (exit 2), and every command that calls
 * AWS says so in the same words, with how to provide them.
 */
import { CliError } from "./cli";

/** The AWS SDK's error when no provider in the default chain yields credentials. */
export function isMissingCredentials(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === "CredentialsProviderError";
}

export function missingCredentials(error: unknown, then: string): CliError {
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(
    `no AWS credentials found (${message}). Set AWS_PROFILE, or AWS_ACCESS_KEY_ID and ` +
      `AWS_SECRET_ACCESS_KEY, or run \`aws sso login\`, then ${then}.`,
  );
}

/**
 * Resolves the client's credentials now, so that a command fails before it starts work it could
 * not finish (verify would otherwise send a test event it cannot look for).
 */
export async function requireCredentials(
  client: { config: { credentials: () => Promise<unknown> } },
  then: string,
): Promise<void> {
  try {
    await client.config.credentials();
  } catch (error) {
    if (isMissingCredentials(error)) throw missingCredentials(error, then);
    throw error;
  }
}
