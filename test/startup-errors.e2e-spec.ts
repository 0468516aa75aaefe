import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AsyncTask, AuConfigError, AuModule } from '@au/nestjs';
import { DemoTasks } from '../src/demo/demo.tasks';
import { FactorialDto } from '../src/demo/demo.dto';

/** An input declared as an interface: its design type is Object, which validation cannot use. */
interface ShapeInput {
  n: number;
}

@Injectable()
class MathTasks {
  @AsyncTask()
  factorial(input: FactorialDto): number {
    return input.n;
  }
}

@Injectable()
class OtherMathTasks {
  @AsyncTask({ name: 'factorial' })
  otherFactorial(input: FactorialDto): number {
    return input.n;
  }
}

@Injectable()
class PlainService {
  hello(): string {
    return 'hello';
  }
}

@Injectable()
class StringInputTasks {
  @AsyncTask({ input: String })
  shout(input: string): string {
    return input.toUpperCase();
  }
}

@Injectable()
class InterfaceInputTasks {
  @AsyncTask()
  measure(input: ShapeInput): number {
    return input.n;
  }
}

@Injectable()
class BadNameTasks {
  @AsyncTask({ name: 'Render Report' })
  render(input: FactorialDto): number {
    return input.n;
  }
}

/** What the app's module does: `AuModule.forRoot()` in `imports`, then Nest compiles the graph. */
async function compile(forRoot: () => unknown): Promise<void> {
  @Module({ imports: [forRoot() as never] })
  class AppUnderTest {}
  const moduleRef = await Test.createTestingModule({ imports: [AppUnderTest] }).compile();
  await moduleRef.close();
}

/** The AuConfigError thrown while building and compiling the module, or fails. */
async function configError(forRoot: () => unknown): Promise<AuConfigError> {
  const error = await compile(forRoot).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuConfigError);
  expect((error as Error).name).toBe('AuConfigError');
  return error as AuConfigError;
}

describe('startup errors', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('duplicate task names across two classes: names both methods and says to rename one', async () => {
    const error = await configError(() => AuModule.forRoot({ tasks: [MathTasks, OtherMathTasks], backend: 'memory' }));
    expect(error.message).toContain('Task name "factorial" is used by both MathTasks.factorial and OtherMathTasks.otherFactorial');
    expect(error.message).toContain("@AsyncTask({ name: '...' })");
  });

  it('a class in tasks without an @AsyncTask() method: says to decorate a method or remove the class', async () => {
    const error = await configError(() => AuModule.forRoot({ tasks: [DemoTasks, PlainService], backend: 'memory' }));
    expect(error.message).toContain('PlainService is listed in AuModule.forRoot({ tasks }) but has no @AsyncTask() method');
    expect(error.message).toMatch(/Decorate a method or remove it from "tasks"/);
  });

  it('an input that is not a class (input: String): says to declare a DTO class', async () => {
    const error = await configError(() => AuModule.forRoot({ tasks: [StringInputTasks], backend: 'memory' }));
    expect(error.message).toContain('Task "shout" has input type String, which is not a class');
    expect(error.message).toContain('@AsyncTask({ input: MyDto })');
  });

  it('an input typed as an interface (design type Object): says to declare a DTO class', async () => {
    const error = await configError(() => AuModule.forRoot({ tasks: [InterfaceInputTasks], backend: 'memory' }));
    expect(error.message).toContain('Task "measure" has input type Object, which is not a class');
    expect(error.message).toContain('class-validator');
  });

  it('a task name unusable in a URL: says which characters to use', async () => {
    const error = await configError(() => AuModule.forRoot({ tasks: [BadNameTasks], backend: 'memory' }));
    expect(error.message).toContain('Task name "Render Report" is not usable in a URL');
    expect(error.message).toMatch(/lower-case letters, digits and dashes/);
  });

  it('the error is thrown by AuModule.forRoot itself, before Nest builds anything', () => {
    expect(() => AuModule.forRoot({ tasks: [MathTasks, OtherMathTasks], backend: 'memory' })).toThrow(AuConfigError);
  });

  it('AU_BACKEND=nope: names the variable and the accepted values', async () => {
    process.env.AU_BACKEND = 'nope';
    const error = await configError(() => AuModule.forRoot({ tasks: [DemoTasks] }));
    expect(error.message).toBe('Environment variable AU_BACKEND="nope" is invalid: expected one of memory, bull.');
  });

  it('AU_ROLE=nope: names the variable and the accepted values', async () => {
    process.env.AU_ROLE = 'nope';
    const error = await configError(() => AuModule.forRoot({ tasks: [DemoTasks], backend: 'memory' }));
    expect(error.message).toBe('Environment variable AU_ROLE="nope" is invalid: expected one of api, worker, all.');
  });

  it('AU_ROLE=worker on the memory backend: says to use bull or role all', async () => {
    process.env.AU_ROLE = 'worker';
    const error = await configError(() => AuModule.forRoot({ tasks: [DemoTasks], backend: 'memory' }));
    expect(error.message).toMatch(/set AU_BACKEND=bull .* or use AU_ROLE=all/);
  });

  it('AU_RESULT_TTL=soon: rejected when the module compiles, naming the variable', async () => {
    process.env.AU_RESULT_TTL = 'soon';
    const error = await configError(() => AuModule.forRoot({ tasks: [DemoTasks], backend: 'memory' }));
    expect(error.message).toBe('Environment variable AU_RESULT_TTL="soon" is invalid: expected a non-negative number.');
  });

  it('a valid configuration compiles (the errors above are the configuration, not the harness)', async () => {
    await expect(compile(() => AuModule.forRoot({ tasks: [MathTasks], backend: 'memory' }))).resolves.toBeUndefined();
  });
});
