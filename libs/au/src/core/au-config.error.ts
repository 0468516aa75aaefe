/** A configuration mistake found at startup; the message says what to change. */
export class AuConfigError extends Error {
  override name = 'AuConfigError';

  static duplicateTask(name: string, first: string, second: string) {
    return new AuConfigError(
      `Task name "${name}" is used by both ${first} and ${second}. Give one of them another name: @AsyncTask({ name: '...' }).`,
    );
  }

  static noTaskMethods(className: string) {
    return new AuConfigError(
      `${className} is listed in AuModule.forRoot({ tasks }) but has no @AsyncTask() method. Decorate a method or remove it from "tasks".`,
    );
  }

  static inputNotAClass(task: string, got: unknown) {
    return new AuConfigError(
      `Task "${task}" has input type ${String((got as { name?: string })?.name ?? got)}, which is not a class. ` +
        `Declare the input as a class with class-validator decorators and pass it: @AsyncTask({ input: MyDto }).`,
    );
  }

  static outputNotSupported(task: string, got: unknown) {
    const shown = Array.isArray(got) ? `an array of ${got.length}` : String((got as { name?: string })?.name ?? got);
    return new AuConfigError(
      `Task "${task}" declares output ${shown}, which the OpenAPI document cannot describe. ` +
        `Use a class, String, Number, Boolean, [ItemClass] or null: @AsyncTask({ output: ReportDto }).`,
    );
  }

  static badTaskName(task: string) {
    return new AuConfigError(
      `Task name "${task}" is not usable in a URL. Use lower-case letters, digits and dashes, e.g. "render-report".`,
    );
  }

  static taskNotProvided(className: string) {
    return new AuConfigError(
      `${className} is listed in AuModule.forRoot({ tasks }) but no instance of it was found. Make sure Nest can construct it (its dependencies are provided).`,
    );
  }

  static badEnv(key: string, raw: string, expected: string) {
    return new AuConfigError(`Environment variable ${key}="${raw}" is invalid: expected ${expected}.`);
  }

  static roleNeedsBull(role: string) {
    return new AuConfigError(
      `AU_ROLE=${role} splits API and workers across processes, which needs a shared queue: set AU_BACKEND=bull (and AU_REDIS_URL), or use AU_ROLE=all.`,
    );
  }

  static missingPackages(backend: string, packages: string[]) {
    return new AuConfigError(
      `The ${backend} backend needs ${packages.join(', ')}, which ${packages.length === 1 ? 'is' : 'are'} not installed. ` +
        `Install ${packages.length === 1 ? 'it' : 'them'} (npm install ${packages.join(' ')}) or use the memory backend (AU_BACKEND=memory).`,
    );
  }

  static taskIdClash(first: string, second: string) {
    return new AuConfigError(
      `Tasks "${first}" and "${second}" hash to the same id tag on the Bull backend. Rename one of them.`,
    );
  }

  static badSchedule(task: string, detail: string) {
    return new AuConfigError(
      `Task "${task}" has a bad schedule: ${detail}. Use @AsyncTask({ schedule: { cron: '0 * * * *', tz?: 'Europe/Paris' } }) or { every: <milliseconds> }.`,
    );
  }

  static dashboardNeedsBull(backend: string) {
    return new AuConfigError(
      `The dashboard (AU_DASHBOARD=on / forRoot({ dashboard })) shows Bull's queues, but the backend is ${backend}: set AU_BACKEND=bull, or turn the dashboard off.`,
    );
  }
}
