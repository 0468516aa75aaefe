/** Definitions read from the classes listed in `forRoot({ tasks })`. Internal. */
export const TASK_DEFINITIONS = 'AU:TASK_DEFINITIONS';
