/** The ioredis connection au and Bull share for commands (auto-pipelined). Internal. */
export const AU_REDIS_CLIENT = 'AU:REDIS_CLIENT';
/** The ioredis connection au uses for pub/sub. Internal. */
export const AU_REDIS_SUBSCRIBER = 'AU:REDIS_SUBSCRIBER';
