// The built-in instruments (METHODS.md section 3) as data. Item codes are a
// contract: indices and reports refer to them.
import type { Channel, Sector } from '../../db/types.ts';
import type { Definition, Item, LocalText } from './definition.ts';

export type BuiltinInstrument = {
  code: string;
  name: LocalText;
  sector: Sector | null;
  channels: Channel[];
  framework: string;
  /** tenant-wide default assignments this instrument gets on a new tenant */
  defaultFor: { channel: Channel; sector: Sector | null }[];
  definition: Definition;
};

const t = (vi: string, en: string): LocalText => ({ vi, en });

type Option = { code: string; label: LocalText; icon?: string };
const opt = (code: string, vi: string, en: string, icon?: string): Option =>
  icon ? { code, label: t(vi, en), icon } : { code, label: t(vi, en) };

const NO_OPINION_0 = () => ({ value: 0, label: t('Không nhớ / không có ý kiến', "Don't remember / no opinion") });

/* ---------------------------------------------------------------- M.Score */

const mscorePhone: BuiltinInstrument = {
  code: 'MSCORE_PHONE',
  name: t('Phỏng vấn qua điện thoại về bộ phận một cửa (M.Score)', 'M.Score one-stop phone interview'),
  sector: 'administration',
  channels: ['phone', 'web'],
  framework: 'M.Score',
  defaultFor: [{ channel: 'phone', sector: 'administration' }],
  definition: {
    languages: ['vi', 'en'],
    intro: t(
      'Xin chào Ông/Bà. Chúng tôi đang khảo sát mức độ hài lòng của người dân về việc giải quyết hồ sơ tại Bộ phận tiếp nhận và trả kết quả (một cửa). Cuộc trao đổi mất khoảng 5 phút.',
      'Hello. We are surveying how satisfied citizens are with the handling of their dossiers at the one-stop office (reception and result-return section). It takes about 5 minutes.',
    ),
    consent: t(
      'Chúng tôi xin hỏi Ông/Bà về lần làm hồ sơ gần đây: kết quả, thời gian, số lần đi lại, các khoản đã nộp và thái độ phục vụ. Mục đích là đánh giá và cải thiện chất lượng phục vụ của cơ quan nhà nước. Việc trả lời là hoàn toàn tự nguyện: Ông/Bà có thể bỏ qua bất kỳ câu hỏi nào, dừng bất cứ lúc nào, hoặc báo cho chúng tôi (hay nhắn TU CHOI) để không được liên hệ lại. Câu trả lời chỉ được dùng để thống kê chất lượng phục vụ và không ảnh hưởng đến việc giải quyết hồ sơ của Ông/Bà. Ông/Bà có đồng ý tham gia không?',
      'We would like to ask about your recent dossier: the result, the time it took, how often you had to come, what you paid and how you were served. The purpose is to assess and improve the quality of public services. Taking part is entirely voluntary: you may skip any question, stop at any time, or tell us (or text TU CHOI) so that we do not contact you again. Your answers are used only for service-quality statistics and do not affect the handling of your dossier. Do you agree to take part?',
    ),
    thanks: t(
      'Xin cảm ơn Ông/Bà đã dành thời gian trả lời. Ý kiến của Ông/Bà sẽ giúp cơ quan nhà nước phục vụ người dân tốt hơn.',
      'Thank you for your time. Your answers will help public offices serve citizens better.',
    ),
    sections: [
      { code: 'identity', label: t('Xác nhận người trả lời', 'Respondent check') },
      { code: 'result', label: t('Kết quả giải quyết hồ sơ', 'Result of the dossier') },
      { code: 'return', label: t('Đi lại nhiều lần', 'Extra visits') },
      { code: 'payment', label: t('Phí, lệ phí và các khoản chi', 'Fees and payments') },
      { code: 'staff', label: t('Cán bộ, công chức tiếp nhận', 'Staff who handled the dossier') },
      { code: 'overall', label: t('Đánh giá chung', 'Overall') },
      { code: 'comments', label: t('Ý kiến thêm', 'Comments') },
    ],
    lists: {
      return_reasons: [
        opt(
          'missing_documents',
          'Thiếu giấy tờ nhưng lần đầu không được hướng dẫn đầy đủ',
          'Missing documents that were not explained the first time',
        ),
        opt('staff_absent', 'Cán bộ phụ trách vắng mặt', 'The responsible officer was absent'),
        opt('system_error', 'Lỗi hệ thống, phần mềm', 'System or software error'),
        opt('result_not_ready', 'Đến hẹn nhưng chưa có kết quả', 'The result was not ready on the due date'),
        opt('other', 'Lý do khác', 'Other reason'),
      ],
    },
    items: [
      {
        code: 'IDENTITY',
        type: 'yesno',
        section: 'identity',
        required: true,
        label: t(
          'Ông/Bà có phải là người trực tiếp làm hồ sơ này tại Bộ phận một cửa không?',
          'Are you the person who handled this dossier at the one-stop office?',
        ),
        script: t(
          'Xin cho hỏi, tôi đang nói chuyện với người đã trực tiếp nộp và theo dõi hồ sơ tại Bộ phận một cửa gần đây, phải không ạ?',
          'May I confirm that I am speaking with the person who recently submitted and followed up the dossier at the one-stop office?',
        ),
        framework: 'M.Score',
      },
      {
        code: 'RESULT_STATUS',
        type: 'single',
        section: 'result',
        required: true,
        label: t('Ông/Bà đã nhận được kết quả giải quyết hồ sơ chưa?', 'Have you received the result of your dossier?'),
        script: t(
          'Ông/Bà đã nhận được kết quả hồ sơ chưa ạ? Nếu đã nhận, kết quả có được trả đúng ngày hẹn không ạ?',
          'Have you received the result of your dossier? If so, was it returned on the promised date?',
        ),
        options: [
          opt('on_time', 'Đã nhận, đúng hẹn', 'Received, on time'),
          opt('late', 'Đã nhận, nhưng trễ hẹn', 'Received, but late'),
          opt('not_yet', 'Chưa nhận được', 'Not received yet'),
        ],
        framework: 'M.Score',
      },
      {
        code: 'ASKED_TO_RETURN',
        type: 'yesno',
        section: 'return',
        required: true,
        label: t(
          'Ngoài số lần phải đến theo quy định của thủ tục, Ông/Bà có bị hẹn lại hoặc yêu cầu đi lại thêm không?',
          'Apart from the visits the procedure requires, were you asked to come back again?',
        ),
        script: t(
          'Ngoài những lần phải đến theo quy định, như lúc nộp hồ sơ và lúc nhận kết quả, Ông/Bà có bị hẹn lại hay phải đi lại thêm lần nào không ạ?',
          'Apart from the visits the procedure requires, such as submitting the dossier and collecting the result, were you asked to come back any extra time?',
        ),
        framework: 'M.Score',
      },
      {
        code: 'RETURN_TIMES',
        type: 'number',
        section: 'return',
        required: false,
        integer: true,
        min: 1,
        max: 20,
        label: t('Ông/Bà đã phải đi lại thêm bao nhiêu lần?', 'How many extra times did you have to come back?'),
        script: t('Ông/Bà đã phải đi lại thêm bao nhiêu lần ạ?', 'How many extra times did you have to come back?'),
        showIf: { item: 'ASKED_TO_RETURN', op: 'eq', value: true },
        framework: 'M.Score',
      },
      {
        code: 'RETURN_REASONS',
        type: 'multiple',
        section: 'return',
        required: false,
        label: t(
          'Vì sao Ông/Bà phải đi lại thêm? (có thể chọn nhiều lý do)',
          'Why did you have to come back? (choose all that apply)',
        ),
        script: t(
          'Vì sao Ông/Bà phải đi lại thêm ạ? (Không đọc các lựa chọn; ghi nhận theo câu trả lời, có thể chọn nhiều.)',
          'Why did you have to come back? (Do not read the options; code the answer, several allowed.)',
        ),
        optionsFrom: 'return_reasons',
        showIf: { item: 'ASKED_TO_RETURN', op: 'eq', value: true },
        framework: 'M.Score',
      },
      {
        code: 'FEE_PAID',
        type: 'single',
        section: 'payment',
        required: true,
        label: t(
          'Ông/Bà có nộp phí, lệ phí cho hồ sơ này không? Nếu có, Ông/Bà có nhận được biên lai, phiếu thu không?',
          'Did you pay a fee or charge for this dossier? If so, did you get a receipt?',
        ),
        script: t(
          'Với hồ sơ này, Ông/Bà có phải nộp phí, lệ phí không ạ? Nếu có, Ông/Bà có được nhận biên lai hoặc phiếu thu không ạ?',
          'For this dossier, did you have to pay a fee or charge? If so, were you given a receipt?',
        ),
        options: [
          opt('none', 'Không phải nộp phí, lệ phí', 'No fee was charged'),
          opt('with_receipt', 'Có nộp, có biên lai/phiếu thu', 'Paid, with a receipt'),
          opt('without_receipt', 'Có nộp, không có biên lai/phiếu thu', 'Paid, without a receipt'),
        ],
        framework: 'M.Score',
      },
      {
        code: 'EXTRA_PAYMENT',
        type: 'yesno',
        section: 'payment',
        required: true,
        label: t(
          'Ngoài phí, lệ phí theo quy định, Ông/Bà có phải chi thêm khoản tiền nào khác (ví dụ để được giải quyết nhanh hơn) không?',
          'Apart from the official fees, did you pay anything else (for example to speed things up)?',
        ),
        help: t(
          'Câu trả lời được giữ kín và chỉ dùng để thống kê.',
          'Your answer is kept confidential and used only for statistics.',
        ),
        script: t(
          'Câu hỏi sau được giữ kín hoàn toàn. Ngoài phí, lệ phí theo quy định, Ông/Bà có phải chi thêm khoản tiền nào khác, ví dụ để hồ sơ được giải quyết nhanh hơn, không ạ?',
          'The next question is strictly confidential. Apart from the official fees, did you pay anything else, for example to have the dossier handled faster?',
        ),
        noOpinion: { value: 'na', label: t('Không muốn trả lời', 'Prefer not to say') },
        framework: 'M.Score',
      },
      {
        code: 'STAFF_ATTITUDE',
        type: 'scale',
        section: 'staff',
        required: true,
        min: 1,
        max: 9,
        label: t(
          'Ông/Bà đánh giá thái độ phục vụ của cán bộ, công chức tiếp nhận hồ sơ như thế nào?',
          'How would you rate the attitude of the staff who handled your dossier?',
        ),
        script: t(
          'Trên thang điểm từ 1 đến 9, trong đó 1 là rất kém và 9 là rất tốt, Ông/Bà chấm bao nhiêu điểm cho thái độ phục vụ của cán bộ tiếp nhận hồ sơ ạ?',
          'On a scale from 1 to 9, where 1 is very poor and 9 is very good, how would you score the attitude of the staff who received your dossier?',
        ),
        minLabel: t('Rất kém', 'Very poor'),
        maxLabel: t('Rất tốt', 'Very good'),
        noOpinion: NO_OPINION_0(),
        framework: 'M.Score',
      },
      {
        code: 'GUIDANCE_CLARITY',
        type: 'scale',
        section: 'staff',
        required: true,
        min: 1,
        max: 9,
        label: t(
          'Hướng dẫn của cán bộ về thủ tục và giấy tờ cần nộp có rõ ràng, dễ hiểu không?',
          'How clear was the guidance on the procedure and the documents required?',
        ),
        script: t(
          'Cũng trên thang điểm từ 1 đến 9, trong đó 1 là rất khó hiểu và 9 là rất rõ ràng, Ông/Bà chấm bao nhiêu điểm cho việc hướng dẫn thủ tục, giấy tờ ạ?',
          'Again from 1 to 9, where 1 is very unclear and 9 is very clear, how would you score the guidance on the procedure and documents?',
        ),
        minLabel: t('Rất khó hiểu', 'Very unclear'),
        maxLabel: t('Rất rõ ràng', 'Very clear'),
        noOpinion: NO_OPINION_0(),
        framework: 'M.Score',
      },
      {
        code: 'SATISFACTION',
        type: 'scale',
        section: 'overall',
        required: true,
        min: 1,
        max: 10,
        label: t(
          'Nhìn chung, Ông/Bà hài lòng thế nào với việc giải quyết hồ sơ tại Bộ phận một cửa?',
          'Overall, how satisfied are you with the handling of your dossier at the one-stop office?',
        ),
        script: t(
          'Nhìn chung, trên thang điểm từ 1 đến 10, trong đó 1 là hoàn toàn không hài lòng và 10 là hoàn toàn hài lòng, Ông/Bà chấm bao nhiêu điểm ạ?',
          'Overall, on a scale from 1 to 10, where 1 is not at all satisfied and 10 is completely satisfied, what score would you give?',
        ),
        minLabel: t('Hoàn toàn không hài lòng', 'Not at all satisfied'),
        maxLabel: t('Hoàn toàn hài lòng', 'Completely satisfied'),
        noOpinion: NO_OPINION_0(),
        framework: 'M.Score',
      },
      {
        code: 'VISITS',
        type: 'number',
        section: 'overall',
        required: false,
        integer: true,
        min: 1,
        max: 50,
        label: t(
          'Tính cả lần nộp hồ sơ và lần nhận kết quả, Ông/Bà đã đến Bộ phận một cửa tổng cộng bao nhiêu lần?',
          'Counting the visits to submit and to collect the result, how many times in total did you go to the one-stop office?',
        ),
        script: t(
          'Tính cả lần nộp hồ sơ và lần nhận kết quả, Ông/Bà đã đến Bộ phận một cửa tổng cộng bao nhiêu lần ạ?',
          'Counting the visits to submit and to collect the result, how many times in total did you go to the one-stop office?',
        ),
        framework: 'M.Score',
      },
      {
        code: 'WAIT_MINUTES',
        type: 'number',
        section: 'overall',
        required: false,
        integer: true,
        min: 0,
        max: 600,
        label: t(
          'Khi nộp hồ sơ, Ông/Bà phải chờ khoảng bao nhiêu phút mới được tiếp nhận?',
          'When you submitted the dossier, about how many minutes did you wait to be served?',
        ),
        script: t(
          'Khi nộp hồ sơ, Ông/Bà phải chờ khoảng bao nhiêu phút mới đến lượt được tiếp nhận ạ?',
          'When you submitted the dossier, about how many minutes did you wait before your turn?',
        ),
        framework: 'M.Score',
      },
      {
        code: 'BEST_THING',
        type: 'text',
        section: 'comments',
        required: false,
        maxLength: 1000,
        label: t('Điều Ông/Bà hài lòng nhất là gì?', 'What were you most satisfied with?'),
        script: t(
          'Trong lần làm hồ sơ này, điều gì làm Ông/Bà hài lòng nhất ạ?',
          'In handling this dossier, what were you most satisfied with?',
        ),
        framework: 'M.Score',
      },
      {
        code: 'WORST_THING',
        type: 'text',
        section: 'comments',
        required: false,
        maxLength: 1000,
        label: t('Điều Ông/Bà chưa hài lòng nhất là gì?', 'What were you least satisfied with?'),
        script: t('Còn điều gì làm Ông/Bà chưa hài lòng nhất ạ?', 'And what were you least satisfied with?'),
        framework: 'M.Score',
      },
      {
        code: 'SUGGESTION',
        type: 'text',
        section: 'comments',
        required: false,
        maxLength: 1000,
        label: t(
          'Ông/Bà có đề xuất gì để Bộ phận một cửa phục vụ người dân tốt hơn?',
          'What would you suggest so that the one-stop office serves citizens better?',
        ),
        script: t(
          'Ông/Bà có đề xuất gì để Bộ phận một cửa phục vụ người dân tốt hơn không ạ?',
          'Do you have any suggestion so that the one-stop office serves citizens better?',
        ),
        framework: 'M.Score',
      },
    ],
  },
};

/* ------------------------------------------------------------------ kiosk */

const kioskQuick: BuiltinInstrument = {
  code: 'KIOSK_QUICK',
  name: t('Đánh giá nhanh tại quầy', 'Kiosk quick rating'),
  sector: null,
  channels: ['kiosk', 'web', 'app'],
  framework: 'M.Score',
  defaultFor: [
    { channel: 'kiosk', sector: null },
    { channel: 'web', sector: null },
    { channel: 'app', sector: null },
  ],
  definition: {
    languages: ['vi', 'en'],
    intro: t(
      'Xin mời Ông/Bà đánh giá việc phục vụ hôm nay. Chỉ mất vài giây và không cần ghi tên.',
      'Please rate the service you received today. It takes a few seconds and your name is not needed.',
    ),
    consent: t(
      'Đánh giá không cần ghi tên. Nếu Ông/Bà tự nguyện để lại số điện thoại, số này chỉ dùng để gọi lại theo yêu cầu của Ông/Bà, được bảo mật và xóa khi không còn cần thiết; Ông/Bà có thể bỏ trống, hoặc nhắn TU CHOI để không được liên hệ nữa. Câu trả lời chỉ được dùng để thống kê chất lượng phục vụ.',
      'Ratings are anonymous. If you choose to leave a phone number, it is used only to call you back at your request, kept confidential and deleted when no longer needed; you may leave it blank, or text TU CHOI to stop any further contact. Answers are used only for service-quality statistics.',
    ),
    thanks: t('Xin cảm ơn Ông/Bà đã đánh giá!', 'Thank you for your rating!'),
    lists: {
      positive: [
        opt('on_time', 'Đúng hẹn', 'On time', 'clock'),
        opt('friendly_staff', 'Nhân viên thân thiện, niềm nở', 'Friendly staff', 'smile'),
        opt('clear_guidance', 'Hướng dẫn rõ ràng', 'Clear guidance', 'info'),
        opt('fast', 'Nhanh chóng', 'Fast', 'zap'),
        opt('professional', 'Chuyên nghiệp', 'Professional', 'award'),
      ],
      negative: [
        opt('long_wait', 'Phải chờ lâu', 'Long wait', 'hourglass'),
        opt('unclear_guidance', 'Hướng dẫn không rõ ràng', 'Unclear guidance', 'help'),
        opt('asked_to_return', 'Bị hẹn lại, phải đi lại nhiều lần', 'Asked to come back', 'repeat'),
        opt('asked_for_money', 'Bị đòi tiền ngoài quy định', 'Asked for money outside the rules', 'money'),
        opt('unfriendly_staff', 'Nhân viên thiếu thân thiện', 'Unfriendly staff', 'frown'),
      ],
    },
    items: [
      {
        code: 'OVERALL',
        type: 'faces',
        required: true,
        label: t('Ông/Bà hài lòng thế nào với việc phục vụ hôm nay?', 'How satisfied are you with the service today?'),
        framework: 'M.Score',
      },
      {
        code: 'REASONS_GOOD',
        type: 'multiple',
        required: false,
        label: t('Ông/Bà hài lòng vì điều gì? (có thể chọn nhiều)', 'What did you like? (choose any)'),
        optionsFrom: 'positive',
        showIf: { item: 'OVERALL', op: 'gte', value: 3 },
        framework: 'M.Score',
      },
      {
        code: 'REASONS_BAD',
        type: 'multiple',
        required: false,
        label: t('Ông/Bà chưa hài lòng vì điều gì? (có thể chọn nhiều)', 'What went wrong? (choose any)'),
        optionsFrom: 'negative',
        showIf: { item: 'OVERALL', op: 'lte', value: 2 },
        framework: 'M.Score',
      },
      {
        code: 'CALLBACK_PHONE',
        type: 'phone',
        required: false,
        personal: true,
        label: t(
          'Nếu muốn chúng tôi gọi lại, xin Ông/Bà để lại số điện thoại (không bắt buộc).',
          'If you would like us to call you back, please leave a phone number (optional).',
        ),
        framework: 'M.Score',
      },
    ],
  },
};

/* -------------------------------------------------------------------- SMS */

const smsOne: BuiltinInstrument = {
  code: 'SMS_ONE',
  name: t('Khảo sát một câu qua tin nhắn', 'SMS one-question survey'),
  sector: null,
  channels: ['sms'],
  framework: 'M.Score',
  defaultFor: [{ channel: 'sms', sector: null }],
  definition: {
    languages: ['vi', 'en'],
    intro: t('Cảm ơn Ông/Bà đã sử dụng dịch vụ công.', 'Thank you for using our public service.'),
    consent: t(
      'Trả lời là tự nguyện; điểm và góp ý chỉ dùng để thống kê chất lượng phục vụ. Nhắn TU CHOI để không nhận tin khảo sát nữa.',
      'Replying is voluntary; your score and comment are used only for service-quality statistics. Text TU CHOI to stop survey messages.',
    ),
    thanks: t('Cảm ơn Ông/Bà đã đánh giá!', 'Thank you for your rating!'),
    items: [
      {
        code: 'RATING',
        type: 'scale',
        required: true,
        min: 1,
        max: 5,
        label: t(
          'Ông/Bà hài lòng thế nào với việc phục vụ? Xin trả lời một số từ 1 đến 5.',
          'How satisfied were you with the service? Please reply with a number from 1 to 5.',
        ),
        minLabel: t('Rất không hài lòng', 'Very dissatisfied'),
        maxLabel: t('Rất hài lòng', 'Very satisfied'),
        framework: 'M.Score',
      },
      {
        code: 'COMMENT',
        type: 'text',
        required: false,
        maxLength: 480,
        label: t('Nếu muốn, Ông/Bà có thể nhắn thêm góp ý (không bắt buộc).', 'If you wish, you may send a comment (optional).'),
        framework: 'M.Score',
      },
    ],
  },
};

/* --------------------------------------------------------- MoH 3869/2019 */

type Row = [code: string, vi: string, en: string];

/** One 1-5 item of the MoH forms; 0 = not used / no opinion. */
function mohItem(section: string, [code, vi, en]: Row): Item {
  return {
    code,
    type: 'scale',
    section,
    required: true,
    min: 1,
    max: 5,
    label: t(vi, en),
    minLabel: t('Rất không hài lòng', 'Very dissatisfied'),
    maxLabel: t('Rất hài lòng', 'Very satisfied'),
    noOpinion: { value: 0, label: t('Không sử dụng / không ý kiến', 'Not used / no opinion') },
    framework: `MoH 3869 ${code}`,
  };
}

const MOH_SECTIONS = () => [
  { code: 'A', label: t('A. Khả năng tiếp cận', 'A. Access') },
  {
    code: 'B',
    label: t('B. Sự minh bạch thông tin và thủ tục khám bệnh, điều trị', 'B. Transparency of information and of care procedures'),
  },
  { code: 'C', label: t('C. Cơ sở vật chất và phương tiện phục vụ người bệnh', 'C. Facilities and amenities for patients') },
  {
    code: 'D',
    label: t('D. Thái độ ứng xử, năng lực chuyên môn của nhân viên y tế', 'D. Conduct and competence of health staff'),
  },
  { code: 'E', label: t('E. Kết quả cung cấp dịch vụ', 'E. Results of care') },
  { code: 'G', label: t('G. Đánh giá chung', 'G. Overall assessment') },
];

function mohG(stay: 'outpatient' | 'inpatient'): Item[] {
  const before =
    stay === 'outpatient'
      ? t('trước khi tới khám bệnh', 'before coming for the visit')
      : t('trước khi nằm viện', 'before your hospital stay');
  return [
    {
      code: 'G1',
      type: 'number',
      section: 'G',
      required: false,
      integer: true,
      min: 0,
      max: 100,
      label: t(
        `Đánh giá chung, bệnh viện đã đáp ứng được bao nhiêu % so với mong đợi của Ông/Bà ${before.vi}? (từ 0 đến 100%)`,
        `Overall, what percentage of your expectations ${before.en} did the hospital meet? (0 to 100%)`,
      ),
      framework: 'MoH 3869 G1',
    },
    {
      code: 'G2',
      type: 'single',
      section: 'G',
      required: false,
      label: t(
        'Nếu có nhu cầu khám, chữa bệnh, Ông/Bà có quay trở lại hoặc giới thiệu cho người khác đến không?',
        'If you needed care again, would you come back or recommend this hospital to others?',
      ),
      options: [
        opt('never_return', 'Chắc chắn không bao giờ quay lại', 'Certainly never come back'),
        opt(
          'no_choice',
          'Không muốn quay lại nhưng có ít lựa chọn khác',
          'Do not want to come back but have little other choice',
        ),
        opt('switch_hospital', 'Muốn chuyển sang bệnh viện khác', 'Would move to another hospital'),
        opt('may_return', 'Có thể sẽ quay lại', 'May come back'),
        opt(
          'will_return',
          'Chắc chắn sẽ quay lại hoặc giới thiệu cho người khác',
          'Will certainly come back or recommend to others',
        ),
      ],
      framework: 'MoH 3869 G2',
    },
  ];
}

const mohConsent = (stay: 'outpatient' | 'inpatient'): LocalText =>
  t(
    `Phiếu hỏi về trải nghiệm của Ông/Bà ${stay === 'outpatient' ? 'khi khám bệnh' : 'trong thời gian nằm viện'}: tiếp cận, thủ tục, thời gian chờ, cơ sở vật chất, thái độ của nhân viên y tế và kết quả điều trị; phiếu không hỏi về bệnh tình. Mục đích là giúp bệnh viện cải tiến chất lượng. Việc tham gia là hoàn toàn tự nguyện và không ảnh hưởng đến việc khám, chữa bệnh của Ông/Bà; Ông/Bà có thể bỏ qua câu hỏi, dừng bất cứ lúc nào, hoặc nhắn TU CHOI để không được liên hệ lại. Câu trả lời chỉ được dùng để thống kê chất lượng phục vụ; nhân viên y tế không biết ai đã đánh giá.`,
    `This questionnaire asks about your experience ${stay === 'outpatient' ? 'of your outpatient visit' : 'during your hospital stay'}: access, procedures, waiting times, facilities, the conduct of health staff and the results of care; it does not ask about your illness. The purpose is to help the hospital improve. Taking part is entirely voluntary and does not affect your care; you may skip questions, stop at any time, or text TU CHOI so that we do not contact you again. Answers are used only for service-quality statistics; health staff do not learn who rated them.`,
  );

const mohThanks = () =>
  t(
    'Xin trân trọng cảm ơn Ông/Bà! Ý kiến của Ông/Bà giúp bệnh viện từng bước nâng cao chất lượng khám, chữa bệnh.',
    'Thank you very much! Your views help the hospital improve the quality of care step by step.',
  );

const OUT_A: Row[] = [
  [
    'A1',
    'Các biển báo, chỉ dẫn đường đến bệnh viện rõ ràng, dễ nhìn, dễ tìm.',
    'Signs and directions to the hospital are clear, easy to see and easy to find.',
  ],
  [
    'A2',
    'Các sơ đồ, biển báo chỉ dẫn đường đến các khoa, phòng trong bệnh viện rõ ràng, dễ hiểu, dễ tìm.',
    'Maps and signs to the departments and rooms inside the hospital are clear, easy to understand and easy to find.',
  ],
  [
    'A3',
    'Các khối nhà, cầu thang được đánh số rõ ràng, dễ tìm.',
    'Buildings and staircases are clearly numbered and easy to find.',
  ],
  [
    'A4',
    'Các lối đi trong bệnh viện, hành lang bằng phẳng, dễ đi.',
    'Paths and corridors in the hospital are level and easy to walk.',
  ],
  [
    'A5',
    'Có thể tìm hiểu các thông tin và đăng ký khám qua điện thoại, trang tin điện tử của bệnh viện (website) thuận tiện.',
    'Finding information and booking a visit by phone or on the hospital website is convenient.',
  ],
];
const OUT_B: Row[] = [
  [
    'B1',
    'Quy trình khám bệnh được niêm yết rõ ràng, công khai, dễ hiểu.',
    'The steps of the visit are posted clearly and publicly and are easy to understand.',
  ],
  [
    'B2',
    'Các quy trình, thủ tục khám bệnh được cải cách đơn giản, thuận tiện.',
    'Registration and visit procedures are simple and convenient.',
  ],
  ['B3', 'Giá dịch vụ y tế niêm yết rõ ràng, công khai.', 'Prices of health services are posted clearly and publicly.'],
  [
    'B4',
    'Nhân viên y tế tiếp đón, hướng dẫn người bệnh làm các thủ tục niềm nở, tận tình.',
    'Staff receive patients and guide them through the procedures warmly and attentively.',
  ],
  [
    'B5',
    'Được xếp hàng theo thứ tự trước sau khi làm các thủ tục đăng ký, nộp tiền, khám bệnh, xét nghiệm, chiếu chụp.',
    'Patients are served in order of arrival for registration, payment, examination, tests and imaging.',
  ],
  ['B6', 'Đánh giá thời gian chờ đợi làm thủ tục đăng ký khám.', 'Waiting time for registration.'],
  ['B7', 'Đánh giá thời gian chờ tới lượt bác sỹ khám.', 'Waiting time until the doctor sees you.'],
  ['B8', 'Đánh giá thời gian được bác sỹ khám và tư vấn.', 'Time the doctor spends examining and advising you.'],
  ['B9', 'Đánh giá thời gian chờ làm xét nghiệm, chiếu chụp.', 'Waiting time for tests and imaging.'],
  ['B10', 'Đánh giá thời gian chờ nhận kết quả xét nghiệm, chiếu chụp.', 'Waiting time for test and imaging results.'],
];
const OUT_C: Row[] = [
  [
    'C1',
    'Có phòng/sảnh chờ khám sạch sẽ, thoáng mát vào mùa hè; kín gió và ấm áp vào mùa đông.',
    'The waiting room or hall is clean, cool in summer and sheltered and warm in winter.',
  ],
  [
    'C2',
    'Phòng chờ có đủ ghế ngồi cho người bệnh và sử dụng tốt.',
    'The waiting room has enough seats for patients, in good condition.',
  ],
  [
    'C3',
    'Phòng chờ có quạt (điều hòa) đầy đủ, hoạt động thường xuyên.',
    'The waiting room has enough fans (air conditioning) that work.',
  ],
  [
    'C4',
    'Phòng chờ có các phương tiện giúp người bệnh có tâm lý thoải mái như ti-vi, tranh ảnh, tờ rơi, nước uống...',
    'The waiting room has things that help patients feel at ease, such as TV, pictures, leaflets, drinking water.',
  ],
  [
    'C5',
    'Được bảo đảm sự riêng tư khi khám bệnh, chiếu chụp, làm thủ thuật.',
    'Privacy is ensured during examination, imaging and procedures.',
  ],
  ['C6', 'Nhà vệ sinh thuận tiện, sử dụng tốt, sạch sẽ.', 'Toilets are convenient, in working order and clean.'],
  ['C7', 'Môi trường trong khuôn viên bệnh viện xanh, sạch, đẹp.', 'The hospital grounds are green, clean and pleasant.'],
  [
    'C8',
    'Khu khám bệnh bảo đảm an ninh, trật tự, phòng ngừa trộm cắp cho người dân.',
    'The outpatient area is secure and orderly, with protection against theft.',
  ],
];
const OUT_D: Row[] = [
  [
    'D1',
    'Nhân viên y tế (bác sỹ, điều dưỡng) có lời nói, thái độ, giao tiếp đúng mực.',
    'Doctors and nurses speak and behave politely and appropriately.',
  ],
  [
    'D2',
    'Nhân viên phục vụ (hộ lý, bảo vệ, kế toán…) có lời nói, thái độ, giao tiếp đúng mực.',
    'Support staff (orderlies, guards, cashiers…) speak and behave politely and appropriately.',
  ],
  [
    'D3',
    'Được nhân viên y tế tôn trọng, đối xử công bằng, quan tâm, giúp đỡ.',
    'Health staff treat you with respect, fairly, with care and help.',
  ],
  [
    'D4',
    'Năng lực chuyên môn của bác sỹ, điều dưỡng đáp ứng mong đợi.',
    'The professional competence of doctors and nurses meets your expectations.',
  ],
];
const OUT_E: Row[] = [
  ['E1', 'Kết quả khám bệnh đã đáp ứng được nguyện vọng của Ông/Bà.', 'The result of the visit met your expectations.'],
  [
    'E2',
    'Các hóa đơn, phiếu thu, đơn thuốc và kết quả khám bệnh được cung cấp đầy đủ, rõ ràng, minh bạch và được giải thích nếu có thắc mắc.',
    'Invoices, receipts, prescriptions and results were given to you in full, clearly and transparently, and explained when you asked.',
  ],
  ['E3', 'Đánh giá mức độ tin tưởng về chất lượng dịch vụ y tế.', 'Your trust in the quality of the health services.'],
  ['E4', 'Đánh giá mức độ hài lòng về giá cả dịch vụ y tế.', 'Your satisfaction with the prices of the health services.'],
];

const mohOutpatient: BuiltinInstrument = {
  code: 'MOH_OUTPATIENT',
  name: t(
    'Khảo sát hài lòng người bệnh ngoại trú (Quyết định 3869/QĐ-BYT)',
    'Ministry of Health outpatient satisfaction (Decision 3869/QĐ-BYT)',
  ),
  sector: 'health',
  channels: ['web', 'phone', 'app'],
  framework: 'MoH 3869/2019',
  defaultFor: [{ channel: 'phone', sector: 'health' }],
  definition: {
    languages: ['vi', 'en'],
    intro: t(
      'Nhằm nâng cao chất lượng khám, chữa bệnh, hướng tới sự hài lòng người bệnh, chúng tôi xin ý kiến của Ông/Bà về lần khám bệnh ngoại trú vừa qua.',
      'To improve the quality of care and patient satisfaction, we would like your views on your recent outpatient visit.',
    ),
    consent: mohConsent('outpatient'),
    thanks: mohThanks(),
    sections: MOH_SECTIONS(),
    items: [
      ...OUT_A.map((r) => mohItem('A', r)),
      ...OUT_B.map((r) => mohItem('B', r)),
      ...OUT_C.map((r) => mohItem('C', r)),
      ...OUT_D.map((r) => mohItem('D', r)),
      ...OUT_E.map((r) => mohItem('E', r)),
      ...mohG('outpatient'),
    ],
  },
};

const IN_A: Row[] = [
  [
    'A1',
    'Các sơ đồ, biển báo chỉ dẫn đường đến các khoa, phòng và thông báo giờ khám, chữa bệnh, giờ vào thăm rõ ràng, dễ hiểu.',
    'Maps and signs to departments and rooms, and notices of care and visiting hours, are clear and easy to understand.',
  ],
  [
    'A2',
    'Các tòa nhà, cầu thang bộ, thang máy, buồng bệnh được đánh số và hướng dẫn rõ ràng, dễ tìm.',
    'Buildings, stairs, lifts and wards are clearly numbered and signposted, and easy to find.',
  ],
  [
    'A3',
    'Các lối đi trong bệnh viện, hành lang bằng phẳng, an toàn, dễ đi.',
    'Paths and corridors in the hospital are level, safe and easy to walk.',
  ],
  [
    'A4',
    'Thời gian chờ đợi thang máy, làm thủ tục và chờ đợi trong quá trình khám, chữa bệnh chấp nhận được.',
    'Waiting for lifts, for procedures and during care is acceptable.',
  ],
  ['A5', 'Người bệnh hỏi và gọi được nhân viên y tế khi cần thiết.', 'Patients can ask and call health staff when needed.'],
];
const IN_B: Row[] = [
  [
    'B1',
    'Quy trình, thủ tục hành chính (nhập, xuất viện, chuyển viện, chuyển khoa…) rõ ràng, công khai, thuận tiện.',
    'Administrative procedures (admission, discharge, transfer to another hospital or department…) are clear, public and convenient.',
  ],
  [
    'B2',
    'Giá dịch vụ y tế được niêm yết, thông báo công khai ở vị trí dễ quan sát, dễ đọc, dễ hiểu và được tư vấn, giải thích các chi phí cao nếu có.',
    'Prices of health services are posted publicly where they are easy to see, read and understand, and high costs, if any, are explained.',
  ],
  [
    'B3',
    'Quy trình, thời gian làm thủ tục thanh toán viện phí khi ra viện rõ ràng, công khai, thuận tiện.',
    'The steps and time for paying the hospital bill at discharge are clear, public and convenient.',
  ],
  [
    'B4',
    'Được phổ biến về nội quy và những thông tin cần thiết khi nằm viện rõ ràng, đầy đủ.',
    'You were told the hospital rules and what you needed to know during your stay, clearly and fully.',
  ],
  [
    'B5',
    'Được giải thích về tình trạng bệnh, phương pháp và thời gian dự kiến điều trị rõ ràng, đầy đủ.',
    'Your condition, the treatment and its expected duration were explained clearly and fully.',
  ],
  [
    'B6',
    'Được giải thích, tư vấn trước khi yêu cầu làm các xét nghiệm, thăm dò, kỹ thuật cao rõ ràng, đầy đủ.',
    'Tests, examinations and high-tech procedures were explained clearly and fully before they were ordered.',
  ],
  [
    'B7',
    'Được công khai và cập nhật thông tin về dùng thuốc và chi phí điều trị.',
    'Information on your medicines and treatment costs was disclosed and kept up to date.',
  ],
];
const IN_C: Row[] = [
  [
    'C1',
    'Buồng bệnh khang trang, sạch sẽ, có đầy đủ các thiết bị điều chỉnh nhiệt độ phù hợp như quạt, máy sưởi hoặc điều hòa.',
    'The ward is spacious and clean, with suitable temperature control such as fans, heaters or air conditioning.',
  ],
  [
    'C2',
    'Buồng bệnh yên tĩnh, bảo đảm an toàn, an ninh, trật tự, phòng ngừa trộm cắp, yên tâm khi nằm viện.',
    'The ward is quiet, safe, secure and orderly, protected against theft, so you feel at ease.',
  ],
  [
    'C3',
    'Giường bệnh, ga, gối đầy đủ cho mỗi người một giường, chắc chắn, sử dụng tốt.',
    'Beds, sheets and pillows are sufficient, one bed per patient, sturdy and in good condition.',
  ],
  ['C4', 'Được cung cấp quần áo đầy đủ, sạch sẽ.', 'Enough clean hospital clothing is provided.'],
  [
    'C5',
    'Nhà vệ sinh, nhà tắm thuận tiện, sạch sẽ, sử dụng tốt.',
    'Toilets and bathrooms are convenient, clean and in working order.',
  ],
  [
    'C6',
    'Được cung cấp đầy đủ nước uống nóng, lạnh ngay tại khoa điều trị.',
    'Enough hot and cold drinking water is provided in the department.',
  ],
  [
    'C7',
    'Người bệnh và người nhà người bệnh truy cập được mạng internet không dây (wifi) ngay tại buồng bệnh.',
    'Patients and relatives can use wireless internet (wifi) in the ward.',
  ],
  [
    'C8',
    'Được bảo đảm sự riêng tư khi nằm viện như thay quần áo, khám bệnh, đi vệ sinh tại giường… có rèm che, vách ngăn hoặc nằm riêng.',
    'Privacy is ensured when changing, being examined or using a bedpan…, with curtains, screens or a separate room.',
  ],
  [
    'C9',
    'Căng-tin bệnh viện phục vụ ăn uống và nhu cầu sinh hoạt thiết yếu đầy đủ và chất lượng.',
    'The hospital canteen provides enough good food and daily essentials.',
  ],
  ['C10', 'Môi trường trong khuôn viên bệnh viện xanh, sạch, đẹp.', 'The hospital grounds are green, clean and pleasant.'],
  [
    'C11',
    'Được cung cấp phương tiện vận chuyển nội viện như xe lăn, cáng, xe điện đầy đủ, kịp thời, sử dụng tốt khi có nhu cầu.',
    'Wheelchairs, stretchers and electric carts for moving within the hospital are available in time and in good condition when needed.',
  ],
];
const IN_D: Row[] = [
  [
    'D1',
    'Bác sỹ, điều dưỡng có lời nói, thái độ, giao tiếp đúng mực.',
    'Doctors and nurses speak and behave politely and appropriately.',
  ],
  [
    'D2',
    'Nhân viên phục vụ (hộ lý, bảo vệ, kế toán…) có lời nói, thái độ, giao tiếp đúng mực.',
    'Support staff (orderlies, guards, cashiers…) speak and behave politely and appropriately.',
  ],
  [
    'D3',
    'Được nhân viên y tế tôn trọng, đối xử công bằng, quan tâm, giúp đỡ.',
    'Health staff treat you with respect, fairly, with care and help.',
  ],
  [
    'D4',
    'Bác sỹ, điều dưỡng hợp tác tốt và xử lý công việc thành thạo, kịp thời.',
    'Doctors and nurses work well together and handle their tasks skilfully and promptly.',
  ],
  ['D5', 'Được bác sỹ thăm khám, động viên tại phòng điều trị.', 'Doctors visit, examine and encourage you in the ward.'],
  [
    'D6',
    'Được tư vấn chế độ ăn, vận động, theo dõi và phòng ngừa biến chứng.',
    'You were advised on diet, exercise, monitoring and preventing complications.',
  ],
  ['D7', 'Không bị nhân viên y tế gợi ý bồi dưỡng.', 'No health worker hinted at or asked for a tip or envelope.'],
];
const IN_E: Row[] = [
  ['E1', 'Thời gian chờ đợi khi khám, chữa bệnh tại bệnh viện.', 'Waiting times during your care at the hospital.'],
  [
    'E2',
    'Được cấp phát thuốc đúng giờ, hướng dẫn sử dụng thuốc đầy đủ và các tác dụng phụ nếu có.',
    'Medicines were given on time, with full instructions and their side effects, if any.',
  ],
  [
    'E3',
    'Được nhắc lịch tái khám và hướng dẫn thực hành ăn uống, luyện tập, chăm sóc tại nhà trước khi ra viện.',
    'Before discharge you were reminded of follow-up visits and shown how to eat, exercise and care for yourself at home.',
  ],
  [
    'E4',
    'Trang thiết bị, vật tư y tế đầy đủ, hiện đại, đáp ứng nhu cầu khám, chữa bệnh.',
    'Medical equipment and supplies are sufficient, modern and meet care needs.',
  ],
  ['E5', 'Kết quả điều trị đáp ứng được nguyện vọng.', 'The result of treatment met your expectations.'],
  ['E6', 'Ông/Bà đánh giá mức độ tin tưởng về chất lượng dịch vụ y tế.', 'Your trust in the quality of the health services.'],
];

const mohInpatient: BuiltinInstrument = {
  code: 'MOH_INPATIENT',
  name: t(
    'Khảo sát hài lòng người bệnh nội trú (Quyết định 3869/QĐ-BYT)',
    'Ministry of Health inpatient satisfaction (Decision 3869/QĐ-BYT)',
  ),
  sector: 'health',
  channels: ['web', 'phone', 'app'],
  framework: 'MoH 3869/2019',
  defaultFor: [],
  definition: {
    languages: ['vi', 'en'],
    intro: t(
      'Nhằm nâng cao chất lượng khám, chữa bệnh, hướng tới sự hài lòng người bệnh, chúng tôi xin ý kiến của Ông/Bà về thời gian nằm điều trị tại bệnh viện.',
      'To improve the quality of care and patient satisfaction, we would like your views on your stay in hospital.',
    ),
    consent: mohConsent('inpatient'),
    thanks: mohThanks(),
    sections: MOH_SECTIONS(),
    items: [
      ...IN_A.map((r) => mohItem('A', r)),
      ...IN_B.map((r) => mohItem('B', r)),
      ...IN_C.map((r) => mohItem('C', r)),
      ...IN_D.map((r) => mohItem('D', r)),
      ...IN_E.map((r) => mohItem('E', r)),
      ...mohG('inpatient'),
    ],
  },
};

/* ------------------------------------------------------------ SIPAS 2017 */

function sipasItem(section: string, [code, vi, en]: Row): Item {
  return {
    code,
    type: 'scale',
    section,
    required: true,
    min: 1,
    max: 5,
    label: t(vi, en),
    minLabel: t('Rất không hài lòng', 'Very dissatisfied'),
    maxLabel: t('Rất hài lòng', 'Very satisfied'),
    noOpinion: { value: 0, label: t('Không có ý kiến / không áp dụng', 'No opinion / not applicable') },
    framework: `SIPAS 2017 ${code}`,
  };
}

const SIPAS_ACC: Row[] = [
  [
    'ACC1',
    'Nơi tiếp nhận hồ sơ và trả kết quả có địa điểm thuận tiện.',
    'The reception and result-return office is conveniently located.',
  ],
  [
    'ACC2',
    'Nơi ngồi chờ tại Bộ phận tiếp nhận và trả kết quả có đủ chỗ ngồi.',
    'The waiting area of the office has enough seats.',
  ],
  [
    'ACC3',
    'Trang thiết bị phục vụ người dân, tổ chức tại Bộ phận tiếp nhận và trả kết quả đầy đủ.',
    'The office has adequate equipment to serve citizens and organisations.',
  ],
  [
    'ACC4',
    'Trang thiết bị phục vụ người dân, tổ chức hiện đại, dễ sử dụng.',
    'The equipment serving citizens and organisations is modern and easy to use.',
  ],
];
const SIPAS_PROC: Row[] = [
  ['PROC1', 'Thủ tục hành chính được niêm yết công khai đầy đủ.', 'The administrative procedure is fully and publicly posted.'],
  ['PROC2', 'Thủ tục hành chính được niêm yết công khai chính xác.', 'The posted procedure is correct.'],
  [
    'PROC3',
    'Thành phần hồ sơ mà Ông/Bà phải nộp đúng như quy định đã niêm yết.',
    'The documents you had to submit were those posted in the procedure.',
  ],
  ['PROC4', 'Phí, lệ phí mà Ông/Bà phải nộp đúng như quy định đã niêm yết.', 'The fees and charges you paid were those posted.'],
  [
    'PROC5',
    'Thời hạn giải quyết (tính từ ngày hồ sơ được tiếp nhận đến ngày nhận kết quả) đúng như quy định đã niêm yết.',
    'The processing time (from the day the dossier was received to the day of the result) was as posted.',
  ],
];
const SIPAS_CS: Row[] = [
  ['CS1', 'Công chức có thái độ giao tiếp lịch sự.', 'The civil servant was polite.'],
  ['CS2', 'Công chức chú ý lắng nghe ý kiến của Ông/Bà.', 'The civil servant listened attentively to you.'],
  [
    'CS3',
    'Công chức trả lời, giải thích, hướng dẫn đầy đủ các ý kiến, vướng mắc của Ông/Bà.',
    'The civil servant answered, explained and guided you fully on your questions.',
  ],
  [
    'CS4',
    'Công chức hướng dẫn kê khai hồ sơ rõ ràng, dễ hiểu.',
    'The civil servant explained how to fill in the dossier clearly and understandably.',
  ],
  [
    'CS5',
    'Công chức tuân thủ đúng quy định trong giải quyết công việc.',
    'The civil servant followed the rules in handling your case.',
  ],
  [
    'CS6',
    'Công chức có năng lực, chuyên môn nghiệp vụ để giải quyết công việc.',
    'The civil servant was competent to handle your case.',
  ],
];
const SIPAS_RES: Row[] = [
  ['RES1', 'Kết quả giải quyết hồ sơ đúng quy định.', 'The result of your dossier was as prescribed.'],
  ['RES2', 'Kết quả có thông tin đầy đủ, chính xác.', 'The result contained complete and accurate information.'],
  ['RES3', 'Kết quả được trả đúng hẹn.', 'The result was returned on time.'],
];
const SIPAS_FB: Row[] = [
  [
    'FB1',
    'Cơ quan có bố trí nơi, hình thức tiếp nhận góp ý, phản ánh, kiến nghị.',
    'The agency provides a place or channel for comments, complaints and recommendations.',
  ],
  [
    'FB2',
    'Cơ quan tiếp nhận và xử lý tích cực các góp ý, phản ánh, kiến nghị.',
    'The agency receives and handles comments, complaints and recommendations actively.',
  ],
  [
    'FB3',
    'Cơ quan xử lý kịp thời các góp ý, phản ánh, kiến nghị.',
    'The agency handles comments, complaints and recommendations on time.',
  ],
  [
    'FB4',
    'Cơ quan thông báo kết quả xử lý góp ý, phản ánh, kiến nghị cho người dân.',
    'The agency informs citizens of the outcome of their comments, complaints and recommendations.',
  ],
];

const sipas: BuiltinInstrument = {
  code: 'SIPAS',
  name: t('Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)', 'Satisfaction index of public administrative services (SIPAS)'),
  sector: 'administration',
  channels: ['web', 'phone', 'app'],
  framework: 'SIPAS (Ministry of Home Affairs, 2017)',
  defaultFor: [],
  definition: {
    languages: ['vi', 'en'],
    intro: t(
      'Chúng tôi xin ý kiến của Ông/Bà về sự phục vụ của cơ quan hành chính nhà nước trong lần giải quyết thủ tục hành chính gần đây.',
      'We would like your views on how the public administration served you in your most recent administrative procedure.',
    ),
    consent: t(
      'Phiếu hỏi về việc tiếp cận dịch vụ, thủ tục hành chính, sự phục vụ của công chức, kết quả giải quyết và việc tiếp nhận, xử lý góp ý; không hỏi họ tên. Mục đích là đo lường và nâng cao chất lượng phục vụ hành chính. Việc tham gia là hoàn toàn tự nguyện; Ông/Bà có thể bỏ qua câu hỏi, dừng bất cứ lúc nào, hoặc nhắn TU CHOI để không được liên hệ lại. Câu trả lời chỉ được dùng để thống kê chất lượng phục vụ và không ảnh hưởng đến việc giải quyết hồ sơ của Ông/Bà.',
      'This questionnaire covers access to the service, the procedure, how civil servants served you, the result and the handling of feedback; it does not ask your name. The purpose is to measure and improve administrative services. Taking part is entirely voluntary; you may skip questions, stop at any time, or text TU CHOI so that we do not contact you again. Answers are used only for service-quality statistics and do not affect the handling of your dossier.',
    ),
    thanks: t('Xin trân trọng cảm ơn Ông/Bà đã tham gia đánh giá!', 'Thank you very much for taking part!'),
    sections: [
      { code: 'access', label: t('Tiếp cận dịch vụ', 'Access to the service') },
      { code: 'procedures', label: t('Thủ tục hành chính', 'Administrative procedure') },
      { code: 'civil_servants', label: t('Sự phục vụ của công chức', 'Civil servants') },
      { code: 'results', label: t('Kết quả giải quyết công việc', 'Result') },
      {
        code: 'feedback',
        label: t('Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị', 'Handling of comments, complaints and recommendations'),
      },
    ],
    items: [
      ...SIPAS_ACC.map((r) => sipasItem('access', r)),
      ...SIPAS_PROC.map((r) => sipasItem('procedures', r)),
      ...SIPAS_CS.map((r) => sipasItem('civil_servants', r)),
      ...SIPAS_RES.map((r) => sipasItem('results', r)),
      ...SIPAS_FB.map((r) => sipasItem('feedback', r)),
    ],
  },
};

export const BUILTIN_INSTRUMENTS: readonly BuiltinInstrument[] = [
  mscorePhone,
  kioskQuick,
  smsOne,
  mohOutpatient,
  mohInpatient,
  sipas,
];
