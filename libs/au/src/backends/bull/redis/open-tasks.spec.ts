import { OpenTasks } from './open-tasks';

describe('OpenTasks', () => {
  it('knows a task created while listening is open until its end is heard', () => {
    const open = new OpenTasks();
    open.setListening(true);
    open.created('a');
    expect(open.isOpen('a')).toBe(true);
    open.ended('a');
    expect(open.isOpen('a')).toBe(false);
  });

  it('knows nothing created while not listening, and forgets everything when the subscription is lost', () => {
    const open = new OpenTasks();
    open.created('before');
    expect(open.isOpen('before')).toBe(false);
    open.setListening(true);
    open.created('a');
    open.setListening(false);
    expect(open.isOpen('a')).toBe(false);
    open.created('while-down');
    expect(open.isOpen('while-down')).toBe(false);
  });

  it('is bounded: past 10,000 ids the oldest are forgotten first', () => {
    const open = new OpenTasks();
    open.setListening(true);
    for (let i = 0; i < 10_005; i++) open.created(`t${i}`);
    expect(open.size).toBe(10_000);
    expect(open.isOpen('t4')).toBe(false);
    expect(open.isOpen('t5')).toBe(true);
    expect(open.isOpen('t10004')).toBe(true);
  });

  it('counts ended ids out of the bound: the ids still open stay known', () => {
    const open = new OpenTasks();
    open.setListening(true);
    for (let i = 0; i < 10_000; i++) open.created(`t${i}`);
    for (let i = 0; i < 100; i++) open.ended(`t${i}`);
    for (let i = 0; i < 100; i++) open.created(`u${i}`);
    expect(open.size).toBe(10_000);
    expect(open.isOpen('t100')).toBe(true);
    expect(open.isOpen('u99')).toBe(true);
    open.created('v');
    expect(open.isOpen('t100')).toBe(false);
    expect(open.isOpen('t101')).toBe(true);
  });
});
