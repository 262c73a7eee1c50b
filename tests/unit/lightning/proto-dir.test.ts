import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findProtoDir } from '../../../src/lightning/proto-dir';

describe('finding the proto directory', () => {
  test('walks up from a nested directory (as from dist/src/lightning) to the one holding proto/lightning.proto', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proto-dir-'));
    try {
      fs.mkdirSync(path.join(root, 'proto'));
      fs.writeFileSync(path.join(root, 'proto', 'lightning.proto'), 'syntax = "proto3";');
      const nested = path.join(root, 'dist', 'src', 'lightning');
      fs.mkdirSync(nested, { recursive: true });
      expect(findProtoDir(nested)).toBe(path.join(root, 'proto'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("finds the repository's own proto directory from the source tree", () => {
    expect(fs.existsSync(path.join(findProtoDir(), 'lightning.proto'))).toBe(true);
  });

  test('says where it looked when there is none', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-proto-'));
    try {
      expect(() => findProtoDir(empty)).toThrow(/proto\/lightning\.proto not found/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
