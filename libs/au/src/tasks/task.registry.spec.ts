import type { TaskDefinition } from './task-definition';
import { TaskRegistry } from './task.registry';

function definition(name: string): TaskDefinition {
  class Input {}
  return {
    name,
    target: class Owner {},
    methodName: 'run',
    input: Input,
    attempts: 1,
    backoff: { delayMs: 1000, factor: 2, jitter: 0 },
    concurrency: 1,
  };
}

describe('TaskRegistry', () => {
  let registry: TaskRegistry;
  beforeEach(() => (registry = new TaskRegistry()));

  it('finds a task by name with its definition and handler', () => {
    const handler = jest.fn();
    const def = definition('render-report');
    registry.add(def, handler);
    expect(registry.get('render-report')).toEqual({ definition: def, handler });
    expect(registry.getOrThrow('render-report').handler).toBe(handler);
  });

  it('answers undefined for an unknown name, and getOrThrow names the known ones', () => {
    registry.add(definition('a'), jest.fn());
    registry.add(definition('b'), jest.fn());
    expect(registry.get('c')).toBeUndefined();
    expect(() => registry.getOrThrow('c')).toThrow('No task named "c". Known tasks: a, b.');
  });

  it('says "(none)" when nothing is registered', () => {
    expect(() => registry.getOrThrow('x')).toThrow('Known tasks: (none).');
  });

  it('refuses a name registered twice', () => {
    registry.add(definition('a'), jest.fn());
    expect(() => registry.add(definition('a'), jest.fn())).toThrow('Task "a" is registered twice.');
  });

  it('lists names and tasks in registration order', () => {
    registry.add(definition('b'), jest.fn());
    registry.add(definition('a'), jest.fn());
    expect(registry.names()).toEqual(['b', 'a']);
    expect(registry.all().map((t) => t.definition.name)).toEqual(['b', 'a']);
  });
});
