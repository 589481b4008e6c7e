/**
 * A file the api answered (fetched with the person's token, which a plain link cannot send) or
 * the web app put together, offered as a download under `name`, as a link with `download`
 * would: the browser saves it, the page stays.
 */
export function saveFile(file: Blob, name: string) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(file);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read it by then; the object URL is let go.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
