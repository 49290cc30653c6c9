/** A program splitplane needs is not installed; says which Debian package provides it. */
export class MissingBinaryError extends Error {
  constructor(
    readonly binary: string,
    readonly debianPackage: string,
    searched: readonly string[],
  ) {
    super(
      `${binary} not found (looked in ${searched.join(', ')}); install the Debian package ` +
        `'${debianPackage}' (apt-get install ${debianPackage})`,
    );
    this.name = 'MissingBinaryError';
  }
}
