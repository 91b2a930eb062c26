/**
 * `Content-Disposition: attachment` naming the file: an ASCII fallback (anything else, quotes and
 * backslashes become `_`) for old clients, and the exact name in RFC 8187 form for the others. Used for
 * files streamed through fleetflash and for presigned object-store URLs alike.
 */
export function attachmentDisposition(fileName: string): string {
  return (
    `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; ` +
    `filename*=UTF-8''${encodeURIComponent(fileName)}`
  );
}
