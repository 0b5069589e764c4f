export { errorResponse, success, type ApiResponse, type ErrorBody, type ErrorLog, type SuccessBody } from './envelope';
export { ApiError, describeZodError, ERROR_STATUS, PAYLOAD_TOO_LARGE, type ApiErrorType } from './errors';
export * from './params';
