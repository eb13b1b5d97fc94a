/**
 * Lab admin passwords on their way from the form to the runner's createLab step, in this process's memory
 * only, keyed by operation id; the runner deletes an entry once its operation has ended.
 * Trade-off: the journal never holds the password, so a restart before the step ran loses it and the
 * resumed operation fails with `lab.passwordLost` (the user starts again) rather than creating a lab with
 * no password, or keeping a secret on disk.
 */
export class SecretVault {
  private readonly secrets = new Map<string, string>();

  put(operationId: string, secret: string): void {
    this.secrets.set(operationId, secret);
  }

  get(operationId: string): string | undefined {
    return this.secrets.get(operationId);
  }

  delete(operationId: string): void {
    this.secrets.delete(operationId);
  }

  get size(): number {
    return this.secrets.size;
  }
}
