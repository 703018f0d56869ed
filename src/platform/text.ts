/** Search key without diacritics: "Huyện Đakrông" -> "huyen dakrong". */
export function searchKey(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}
