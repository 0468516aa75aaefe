/** Which of `packages` cannot be resolved from here (not installed beside au). */
export function missingPackages(packages: string[]): string[] {
  return packages.filter((pkg) => {
    try {
      require.resolve(pkg);
      return false;
    } catch {
      return true;
    }
  });
}
