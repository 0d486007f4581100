// Stub: filled in by the Prompt-API face work (issue 17).
export {};
