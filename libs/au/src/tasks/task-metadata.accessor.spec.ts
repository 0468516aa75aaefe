import { AuConfigError } from '../core/au-config.error';
import { AsyncTask } from './async-task.decorator';
import { TaskMetadataAccessor } from './task-metadata.accessor';

class ReportDto {
  title: string;
}

class OtherDto {
  n: number;
}

interface NotAClass {
  n: number;
}

class ReportTasks {
  @AsyncTask()
  renderReport(input: ReportDto): string {
    return input.title;
  }

  @AsyncTask({ name: 'send', input: OtherDto, timeoutMs: 500, attempts: 3, backoff: { delayMs: 10 }, ttlSeconds: 60, concurrency: 4 })
  sendMail(input: unknown): unknown {
    return input;
  }

  notATask(): void {}
}

describe('TaskMetadataAccessor', () => {
  describe('definitionsOf', () => {
    it('names a task after its method in kebab-case and reads the input from the first parameter type', () => {
      const [render] = TaskMetadataAccessor.definitionsOf(ReportTasks);
      expect(render).toEqual({
        name: 'render-report',
        target: ReportTasks,
        methodName: 'renderReport',
        input: ReportDto,
        output: undefined,
        description: undefined,
        timeoutMs: undefined,
        attempts: 1,
        backoff: { delayMs: 1000, factor: 2, jitter: 0 },
        ttlSeconds: undefined,
        concurrency: 1,
      });
    });

    it('takes explicit options over the defaults, merging the backoff', () => {
      const send = TaskMetadataAccessor.definitionsOf(ReportTasks).find((d) => d.methodName === 'sendMail');
      expect(send).toMatchObject({
        name: 'send',
        input: OtherDto,
        timeoutMs: 500,
        attempts: 3,
        backoff: { delayMs: 10, factor: 2, jitter: 0 },
        ttlSeconds: 60,
        concurrency: 4,
      });
    });

    it('reads only decorated methods', () => {
      expect(TaskMetadataAccessor.definitionsOf(ReportTasks).map((d) => d.methodName)).toEqual(['renderReport', 'sendMail']);
    });

    it('finds inherited tasks once, the subclass override winning', () => {
      class Base {
        @AsyncTask()
        shared(input: ReportDto) {
          return input;
        }
      }
      class Derived extends Base {
        @AsyncTask({ name: 'shared-override' })
        override shared(input: ReportDto) {
          return input;
        }

        @AsyncTask()
        own(input: OtherDto) {
          return input;
        }
      }
      expect(TaskMetadataAccessor.definitionsOf(Derived).map((d) => d.name).sort()).toEqual(['own', 'shared-override']);
    });

    it('clamps attempts and concurrency to at least 1', () => {
      class Odd {
        @AsyncTask({ attempts: 0, concurrency: -2 })
        odd(input: ReportDto) {
          return input;
        }
      }
      expect(TaskMetadataAccessor.definitionsOf(Odd)[0]).toMatchObject({ attempts: 1, concurrency: 1 });
    });

    it.each([
      ['String', String],
      ['Number', Number],
      ['Object', Object],
      ['an arrow function', () => ({})],
    ])('rejects an input that is not a class (%s)', (_, input) => {
      class Bad {
        @AsyncTask({ input: input as Function })
        bad(value: unknown) {
          return value;
        }
      }
      expect(() => TaskMetadataAccessor.definitionsOf(Bad)).toThrow(AuConfigError);
      expect(() => TaskMetadataAccessor.definitionsOf(Bad)).toThrow(/Task "bad" has input type .*which is not a class/);
    });

    it('rejects an input typed as an interface (design type Object) or missing', () => {
      class ByInterface {
        @AsyncTask()
        shape(input: NotAClass) {
          return input;
        }
      }
      class NoParam {
        @AsyncTask()
        nothing() {
          return null;
        }
      }
      expect(() => TaskMetadataAccessor.definitionsOf(ByInterface)).toThrow('Task "shape" has input type Object, which is not a class');
      expect(() => TaskMetadataAccessor.definitionsOf(NoParam)).toThrow('Task "nothing" has input type undefined, which is not a class');
    });

    it.each([
      ['a class', ReportDto],
      ['String', String],
      ['Number', Number],
      ['Boolean', Boolean],
      ['a list of a class', [ReportDto]],
      ['a list of String', [String]],
      ['null', null],
    ])('keeps the output it declares (%s)', (_, output) => {
      class Typed {
        @AsyncTask({ output: output as Function | [Function] | null })
        typed(input: ReportDto) {
          return input;
        }
      }
      expect(TaskMetadataAccessor.definitionsOf(Typed)[0].output).toBe(output);
    });

    it.each([
      ['Object', Object],
      ['an arrow function', () => ({})],
      ['an empty list', []],
      ['a list of two', [ReportDto, OtherDto]],
      ['a string', 'ReportDto'],
    ])('rejects an output the document cannot describe (%s)', (_, output) => {
      class Bad {
        @AsyncTask({ output: output as Function })
        bad(input: ReportDto) {
          return input;
        }
      }
      expect(() => TaskMetadataAccessor.definitionsOf(Bad)).toThrow(AuConfigError);
      expect(() => TaskMetadataAccessor.definitionsOf(Bad)).toThrow(/Task "bad" declares output .*Use a class, String, Number, Boolean, \[ItemClass\] or null/);
    });

    it.each(['Upper', 'has space', '-leading-dash', 'a/b', 'x'.repeat(64)])('rejects the task name %j', (name) => {
      class Named {
        @AsyncTask({ name })
        named(input: ReportDto) {
          return input;
        }
      }
      expect(() => TaskMetadataAccessor.definitionsOf(Named)).toThrow(`Task name "${name}" is not usable in a URL`);
    });
  });

  describe('collect', () => {
    it('collects the tasks of every class', () => {
      class More {
        @AsyncTask()
        more(input: OtherDto) {
          return input;
        }
      }
      expect(TaskMetadataAccessor.collect([ReportTasks, More]).map((d) => d.name)).toEqual(['render-report', 'send', 'more']);
    });

    it('throws on a class without @AsyncTask() methods, naming it', () => {
      class Plain {
        work() {}
      }
      expect(() => TaskMetadataAccessor.collect([ReportTasks, Plain])).toThrow(AuConfigError);
      expect(() => TaskMetadataAccessor.collect([Plain])).toThrow(/^Plain is listed in AuModule\.forRoot\(\{ tasks \}\) but has no @AsyncTask\(\) method/);
    });

    it('throws on a name used twice, naming both methods', () => {
      class Clash {
        @AsyncTask({ name: 'render-report' })
        draw(input: ReportDto) {
          return input;
        }
      }
      expect(() => TaskMetadataAccessor.collect([ReportTasks, Clash])).toThrow(
        'Task name "render-report" is used by both ReportTasks.renderReport and Clash.draw',
      );
    });

    it('collects nothing from nothing', () => {
      expect(TaskMetadataAccessor.collect([])).toEqual([]);
    });
  });
});
