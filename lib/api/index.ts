export { errorResponse, success, type ApiResponse, type ErrorBody, type ErrorLog, type SuccessBody } from './envelope';
export { ApiError, describeZodError, ERROR_STATUS, PAYLOAD_TOO_LARGE, type ApiErrorType } from './errors';
export * from './params';
export { apiRoute, fileResponse, rangeResponse, readBody, reportResponse, requireBody, type HandlerResult } from './http';
export { parseQueryRequest, type QueryRequest } from './query-params';
export { conprofLinkParams, ingestParams, metadataParams, pyroscopeParams, rangeParams, targetsParams } from './route-params';
