// RFC 9457 problem details with stable codes. The UI translates the code; the
// title comes in the caller's language (Vietnamese by default).

export type FieldError = { path: string; code: string; message: string };

/** Stable codes for schema problems (zod issue codes), shared by every place that validates. */
const FIELD_CODES: Record<string, string> = {
  invalid_type: 'field.invalid_type',
  too_small: 'field.too_small',
  too_big: 'field.too_big',
  invalid_format: 'field.invalid_format',
  invalid_value: 'field.invalid_value',
  unrecognized_keys: 'field.unknown',
  invalid_union: 'field.invalid_value',
  not_multiple_of: 'field.invalid_value',
  custom: 'field.invalid',
};

export function fieldCode(zodIssueCode: string | undefined): string {
  return FIELD_CODES[zodIssueCode ?? ''] ?? 'field.invalid';
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    detail?: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

export const notFound = (code: string, detail?: string) => new AppError(404, code, detail);
export const forbidden = (detail?: string) => new AppError(403, 'auth.forbidden', detail);
export const conflict = (code: string, detail?: string) => new AppError(409, code, detail);
export const invalid = (code: string, detail?: string, extra: Record<string, unknown> = {}) =>
  new AppError(422, code, detail, extra);

/** Titles per code, [vi, en]. Codes not listed fall back to the status title. */
const TITLES: Record<string, [string, string]> = {
  'request.invalid': ['Dữ liệu gửi lên không hợp lệ', 'The request is not valid'],
  'request.malformed_json': ['Nội dung JSON bị lỗi cú pháp', 'The JSON body is malformed'],
  'request.too_large': ['Nội dung gửi lên quá lớn', 'The request body is too large'],
  'request.unsupported_media_type': ['Kiểu nội dung không được hỗ trợ', 'Unsupported content type'],
  'request.not_found': ['Không tìm thấy địa chỉ', 'No such endpoint'],
  'request.method_not_allowed': ['Phương thức không được phép', 'Method not allowed'],
  'request.rate_limited': ['Quá nhiều yêu cầu', 'Too many requests'],
  'auth.required': ['Cần đăng nhập', 'Authentication required'],
  'auth.invalid_credentials': ['Tên đăng nhập hoặc mật khẩu không đúng', 'Wrong username or password'],
  'auth.throttled': ['Quá nhiều lần đăng nhập sai, vui lòng thử lại sau', 'Too many login attempts, try again later'],
  'auth.session_expired': ['Phiên làm việc đã hết hạn', 'The session has expired'],
  'auth.token_invalid': ['Mã truy cập không hợp lệ hoặc đã bị thu hồi', 'The access token is invalid or revoked'],
  'auth.csrf': ['Thiếu hoặc sai mã chống giả mạo yêu cầu', 'Missing or wrong anti-forgery token'],
  'auth.forbidden': ['Bạn không có quyền thực hiện thao tác này', 'You are not allowed to do this'],
  'unit.not_found': ['Không tìm thấy đơn vị', 'Unit not found'],
  'unit.code_taken': ['Mã đơn vị đã tồn tại', 'The unit code already exists'],
  'unit.parent_not_found': ['Không tìm thấy đơn vị cấp trên', 'Parent unit not found'],
  'unit.cycle': ['Cây đơn vị không được có vòng lặp', 'The unit tree cannot contain a cycle'],
  'user.not_found': ['Không tìm thấy người dùng', 'User not found'],
  'user.username_taken': ['Tên đăng nhập đã tồn tại', 'The username is taken'],
  'grant.not_found': ['Không tìm thấy quyền', 'Grant not found'],
  'grant.last_admin': ['Không thể thu hồi quyền quản trị cuối cùng', 'The last administrator grant cannot be revoked'],
  'user.last_admin': ['Không thể khóa quản trị viên cuối cùng', 'The last administrator cannot be disabled'],
  'token.not_found': ['Không tìm thấy mã truy cập', 'Token not found'],
  'token.name_taken': ['Tên mã truy cập đã được dùng', 'The token name is in use'],
  'password.too_short': ['Mật khẩu phải có ít nhất 8 ký tự', 'The password must have at least 8 characters'],
  'password.too_long': ['Mật khẩu quá dài (tối đa 128 ký tự)', 'The password is too long (128 characters at most)'],
  'password.too_common': ['Mật khẩu quá phổ biến, hãy chọn mật khẩu khác', 'The password is too common'],
  'phone.invalid': ['Số điện thoại không hợp lệ', 'The phone number is not valid'],
  'import.rows_invalid': ['Tệp có dòng không hợp lệ; chưa ghi dữ liệu nào', 'The file has invalid rows; nothing was written'],
  'import.empty': ['Tệp không có dữ liệu', 'The file has no data'],
  'import.too_many_rows': ['Tệp có quá nhiều dòng', 'The file has too many rows'],
  'index.not_found': ['Không tìm thấy chỉ số', 'Index not found'],
  'index.definition_invalid': ['Định nghĩa chỉ số không hợp lệ', 'The index definition is not valid'],
  'period.invalid': ['Kỳ không hợp lệ (YYYY-MM, YYYY-Qn hoặc YYYY)', 'The period is not valid (YYYY-MM, YYYY-Qn or YYYY)'],
  'score.channel_not_allowed': [
    'Chỉ số này không tính trên kênh đã chọn; các kênh không được gộp',
    'This index is not computed on that channel; channels are never pooled',
  ],
  'snapshot.not_found': ['Không tìm thấy kỳ công bố', 'Snapshot not found'],
  'snapshot.published': ['Kỳ này đã công bố, không thể thay đổi', 'This snapshot is published and cannot change'],
  'snapshot.reply_window_open': [
    'Đơn vị còn trong thời hạn phản hồi; chưa thể công bố',
    'Units may still reply; the snapshot cannot be published yet',
  ],
  'snapshot.reply_closed': ['Đã hết thời hạn phản hồi', 'The reply window has closed'],
  'device.pairing_invalid': [
    'Mã ghép nối không đúng, đã dùng hoặc đã hết hạn',
    'The pairing code is wrong, already used or expired',
  ],
  'device.credential_invalid': ['Máy tính bảng chưa được ghép nối', 'The tablet is not enrolled'],
  'device.revoked': ['Máy tính bảng đã bị thu hồi quyền gửi đánh giá', 'The tablet has been revoked'],
  'device.not_found': ['Không tìm thấy máy tính bảng', 'Device not found'],
  'hours.invalid': ['Giờ làm việc không hợp lệ', 'The opening hours are not valid'],
  'audio.unsupported': ['Tệp ghi âm phải là MP3, OGG, WAV, M4A hoặc WebM', 'The recording must be MP3, OGG, WAV, M4A or WebM'],
  'audio.prompt_unknown': ['Bộ câu hỏi không có lời nhắc này', 'The instrument has no such prompt'],
  'audio.not_found': ['Chưa có bản ghi âm', 'No recording'],
  'round.not_found': ['Không tìm thấy đợt phỏng vấn', 'Interview round not found'],
  'round.not_draft': ['Đợt phỏng vấn đã công bố, không thể sửa', 'The round is published and cannot change'],
  'round.not_published': ['Đợt phỏng vấn chưa công bố hoặc đã đóng', 'The round is not published, or is closed'],
  'round.period_invalid': [
    'Kỳ không hợp lệ (YYYY-MM, từ tháng không sau đến tháng)',
    'The months are not valid (YYYY-MM, from not after to)',
  ],
  'round.empty': ['Không đơn vị nào có hồ sơ đủ điều kiện để chọn mẫu', 'No unit has eligible records to sample'],
  'round.instrument_not_for_phone': [
    'Bộ câu hỏi này không dùng cho phỏng vấn điện thoại',
    'This instrument is not used for phone interviews',
  ],
  'interview.not_found': ['Không tìm thấy người được chọn phỏng vấn', 'Interview record not found'],
  'interview.not_yours': ['Người này đang do điều tra viên khác phụ trách', 'Another interviewer holds this record'],
  'interview.closed': ['Người này đã có kết quả cuối cùng', 'This record already has a final outcome'],
  'interview.outside_calling_hours': ['Ngoài giờ gọi điện (07:00–21:00)', 'Outside calling hours (07:00-21:00)'],
  'interview.callback_invalid': [
    'Giờ gọi lại phải ở tương lai và trong giờ gọi điện (07:00–21:00)',
    'The callback time must be in the future and within calling hours (07:00-21:00)',
  ],
  'interview.attempts_exhausted': ['Đã gọi đủ số lần cho phép', 'The attempts allowed have been used'],
  'interview.answers_required': ['Cần câu trả lời cho kết quả này', 'This outcome needs the answers'],
  'interview.attempt_conflict': ['Mã lần gọi đã dùng cho nội dung khác', 'The attempt id was used with other content'],
  'interviewer.not_found': ['Không tìm thấy điều tra viên', 'Interviewer not found'],
  'contact.not_found': ['Số này không có trong danh sách không liên hệ', 'This number is not on the do-not-contact list'],
  'sms.template_variable': [
    'Mẫu tin nhắn có biến không dùng được cho loại tin này',
    'The template uses a variable this kind of message does not have',
  ],
  'sms.message_not_found': ['Không tìm thấy tin nhắn', 'Message not found'],
  'sms.not_replayable': [
    'Chỉ gửi lại được tin thất bại, không chắc chắn hoặc đã bỏ cuộc',
    'Only failed, uncertain or abandoned messages can be sent again',
  ],
  'sms.recorder_only': [
    'Chỉ giả lập tin trả lời được khi dùng cổng ghi lại (thử nghiệm)',
    'Replies can be simulated only with the recording (development) gateway',
  ],
  'sms.callback_token': ['Mã gọi lại của cổng SMS không đúng', 'The SMS gateway callback token is wrong'],
  'sms.gateway_config': ['Cấu hình cổng SMS không hợp lệ', 'The SMS gateway settings are not valid'],
  'sms.inbound_not_found': ['Không tìm thấy tin nhắn đến', 'Incoming message not found'],
  internal: ['Lỗi hệ thống; vui lòng thử lại hoặc báo mã yêu cầu', 'Internal error; try again or report the request id'],
};

const STATUS_TITLES: Record<number, [string, string]> = {
  400: ['Yêu cầu không hợp lệ', 'Bad request'],
  401: TITLES['auth.required'] as [string, string],
  403: TITLES['auth.forbidden'] as [string, string],
  404: ['Không tìm thấy', 'Not found'],
  409: ['Xung đột dữ liệu', 'Conflict'],
  413: TITLES['request.too_large'] as [string, string],
  415: TITLES['request.unsupported_media_type'] as [string, string],
  422: ['Dữ liệu không hợp lệ', 'Unprocessable content'],
  429: TITLES['request.rate_limited'] as [string, string],
  500: TITLES.internal as [string, string],
};

export function titleFor(code: string, status: number, lang: 'vi' | 'en'): string {
  const pair = TITLES[code] ?? STATUS_TITLES[status] ?? (STATUS_TITLES[status >= 500 ? 500 : 400] as [string, string]);
  return pair[lang === 'en' ? 1 : 0];
}

export function problemBody(
  status: number,
  code: string,
  lang: 'vi' | 'en',
  requestId: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: `urn:mscore:problem:${code}`,
    title: titleFor(code, status, lang),
    status,
    code,
    ...(detail && detail !== code ? { detail } : {}),
    requestId,
    ...extra,
  };
}
