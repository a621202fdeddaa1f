// location.href as the page was entered, saved by main.ts before the launch code removes
// ?code&state from the address bar (iOS WeCom verifies JS-SDK signatures against this URL).
let entryHref: string | undefined;

export function rememberEntryUrl(href: string): void {
  entryHref ??= href;
}

export function entryUrl(): string | undefined {
  return entryHref;
}

/** tests: forget it */
export function resetEntryUrl(): void {
  entryHref = undefined;
}
