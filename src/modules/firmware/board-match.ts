/**
 * Whether an image built for `boards` fits a device. The OpenWrt board name (`tplink,archer-c7-v2`)
 * is what sysupgrade itself checks, so when both sides have board names they alone decide; the model
 * string ("TP-Link Archer C7 v2", shared by hardware revisions in some tables) is only a fallback
 * for devices or images that have no board name.
 */
export function boardFits(boards: readonly string[], device: { boardName: string; model: string }): boolean {
  if (device.boardName !== '' && boards.some((board) => board.includes(','))) return boards.includes(device.boardName);
  return (
    (device.boardName !== '' && boards.includes(device.boardName)) ||
    (device.model !== '' && boards.includes(device.model))
  );
}
