// Reshaping every answer by its schema costs time on a busy machine: more time per test,
// the same assertions.
jest.setTimeout(90_000);
