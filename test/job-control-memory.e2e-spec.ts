import { describeJobControlContract } from './contract/job-control-contract';

/** Delays, priorities, retries and the dead-letter list on the in-memory backend. */
describeJobControlContract('memory', () => ({}));
