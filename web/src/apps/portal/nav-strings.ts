// The words every portal page needs before the score pages' own code arrives:
// the page menu and the state of loading those pages.
export const navVi = {
  label: 'Các trang',
  lookup: 'Tra cứu hồ sơ',
  rankings: 'Xếp hạng',
  methods: 'Cách tính điểm',
  openData: 'Dữ liệu mở',
  loading: 'Đang tải…',
  loadFailed: 'Không tải được trang này. Vui lòng kiểm tra kết nối mạng rồi thử lại.',
  retry: 'Thử lại',
};

export type NavStrings = typeof navVi;

export const navEn: NavStrings = {
  label: 'Pages',
  lookup: 'Your application',
  rankings: 'Rankings',
  methods: 'How we score',
  openData: 'Open data',
  loading: 'Loading…',
  loadFailed: 'This page could not be loaded. Please check your connection and try again.',
  retry: 'Try again',
};
