/** CLS keys au writes; apps can read them through `ClsService`. */
export const AU_CLS_REQUEST_ID = 'au.requestId';
export const AU_CLS_TASK = 'au.task';
/** HTTP header carrying the request id, in and out. */
export const REQUEST_ID_HEADER = 'X-Request-ID';
