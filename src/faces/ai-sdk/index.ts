// Stub: filled in by the AI SDK face work (issue 17).
export {};
