// Words synthetic records are made of: Vietnamese names (Kinh and ethnic
// minority family names), procedures and hospital departments.
export const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Hồ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Ngô',
  'Dương',
  'Hồ Văn',
  'Pả',
  'Kê',
];
export const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Ngọc', 'Quang', 'Hữu', 'Thanh'];
export const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Hà',
  'Hùng',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Phúc',
  'Quỳnh',
  'Sơn',
  'Tâm',
  'Trang',
];
export const PROCEDURES = [
  'Đăng ký khai sinh',
  'Đăng ký kết hôn',
  'Chứng thực bản sao',
  'Cấp giấy phép xây dựng',
  'Đăng ký đất đai lần đầu',
];
export const DEPARTMENTS = ['Khoa Nội', 'Khoa Ngoại', 'Khoa Nhi', 'Khoa Sản', 'Khoa Khám bệnh'];
