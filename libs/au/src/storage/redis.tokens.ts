/** The ioredis connection au and Bull share for commands (see RedisConnections). Internal. */
export const AU_REDIS_CLIENT = 'AU:REDIS_CLIENT';
/** The ioredis connection au uses for pub/sub. Internal. */
export const AU_REDIS_SUBSCRIBER = 'AU:REDIS_SUBSCRIBER';
