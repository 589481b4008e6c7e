// Tests read many JSON answers; they assert on their shape rather than declare it.
interface Response {
  json(): Promise<any>;
}
