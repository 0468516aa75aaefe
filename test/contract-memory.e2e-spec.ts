import { describeTaskContract } from './contract/task-contract';

/** The whole task contract on the in-memory backend. */
describeTaskContract('memory', () => ({}));
