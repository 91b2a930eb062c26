import { useEffect } from 'react';

/** The browser tab's title: "<page> · fleetflash" (history, bookmarks and tabs tell pages apart). */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · fleetflash` : 'fleetflash';
  }, [title]);
}
