// Passwords refused outright: the most common ones worldwide and in Vietnam.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty', '1234567890', '1234567',
  'password1', '12345', '123123', '111111', 'abc123', 'iloveyou', '000000', 'qwertyuiop',
  '1q2w3e4r', '1qaz2wsx', '123qwe', 'zaq12wsx', '654321', '666666', '888888', '987654321',
  '11111111', '00000000', '12341234', 'password123', 'admin123', 'administrator', 'admin@123', 'welcome',
  'welcome1', 'letmein', 'monkey', 'dragon', 'sunshine', 'princess', 'football', 'baseball',
  'master', 'superman', 'trustno1', 'passw0rd', 'p@ssw0rd', 'p@ssword', '123abc', 'abcd1234',
  'a123456', 'aa123456', 'qwe123', 'asdfghjk', 'asdfasdf', 'zxcvbnm', 'zxcvbnm123', 'changeme',
  'secret', 'login', 'abc12345', '88888888', '12345678910', '1234qwer', 'q1w2e3r4', 'matkhau',
  'matkhau123', 'matkhau1', 'anhyeuem', 'anhyeuem123', 'emyeuanh', 'yeuem123', 'vietnam', 'vietnam123',
  'hanoi123', 'saigon123', '123456aa', '12345678a', 'hoilamgi', 'quangtri', 'quangtri123', 'mscore',
  'mscore123', 'admin12345', '1234abcd', 'iloveyou1', 'qwerty1', 'password!', '11223344', '147258369',
  '159753', '123654789', '987654321a',
]);
