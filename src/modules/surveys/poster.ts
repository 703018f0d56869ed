// The counter poster: a large QR code to the unit's web survey, in Vietnamese
// with an English line, printable on A4. Roboto (bundled with pdfmake) has the
// Vietnamese letters.

import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
type PdfMake = {
  addFonts(f: unknown): void;
  setLocalAccessPolicy(cb: (path: string) => boolean): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  createPdf(doc: unknown): { getBuffer(): Promise<Buffer> };
};
let pdfmake: PdfMake | undefined;

function engine(): PdfMake {
  if (!pdfmake) {
    pdfmake = require('pdfmake') as PdfMake;
    const dir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
    pdfmake.addFonts({
      Roboto: {
        normal: path.join(dir, 'Roboto-Regular.ttf'),
        bold: path.join(dir, 'Roboto-Medium.ttf'),
        italics: path.join(dir, 'Roboto-Italic.ttf'),
        bolditalics: path.join(dir, 'Roboto-MediumItalic.ttf'),
      },
    });
    // Posters read nothing but the bundled fonts, and nothing from the network.
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(dir + path.sep));
  }
  return pdfmake;
}

export async function surveyPoster(p: { tenantName: string; unitName: string; url: string }): Promise<Buffer> {
  const doc = {
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 56],
    info: { title: `Dân chấm điểm M.Score - ${p.unitName}`, creator: 'mscore' },
    defaultStyle: { font: 'Roboto', fontSize: 14, alignment: 'center' },
    content: [
      { text: p.tenantName.toUpperCase(), fontSize: 13, color: '#444444', margin: [0, 0, 0, 6] },
      { text: 'DÂN CHẤM ĐIỂM M.SCORE', fontSize: 30, bold: true, color: '#0b5394' },
      { text: p.unitName, fontSize: 20, bold: true, margin: [0, 14, 0, 18] },
      { text: 'Ông/bà hài lòng với việc phục vụ hôm nay?', fontSize: 18 },
      { text: 'Quét mã bằng điện thoại để đánh giá (chưa đến 1 phút)', fontSize: 16, margin: [0, 4, 0, 18] },
      { qr: p.url, fit: 300, eccLevel: 'M', alignment: 'center' },
      { text: p.url, fontSize: 13, color: '#0b5394', margin: [0, 14, 0, 18] },
      {
        ul: [
          'Mở camera của điện thoại và hướng vào mã QR',
          'Chọn mặt cười thể hiện mức độ hài lòng',
          'Ý kiến được giữ kín, chỉ dùng để cải thiện dịch vụ',
        ],
        alignment: 'left',
        margin: [90, 0, 0, 18],
        fontSize: 14,
      },
      {
        text: 'Scan the code with your phone to rate this office (less than a minute).',
        italics: true,
        fontSize: 12,
        color: '#555555',
      },
    ],
  };
  return engine().createPdf(doc).getBuffer();
}
