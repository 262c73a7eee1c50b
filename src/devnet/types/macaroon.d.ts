// Minimal typings for the `macaroon` package (3.x), which ships none. Only what the devnet uses.
declare module 'macaroon' {
  export interface Macaroon {
    readonly identifier: Uint8Array;
    readonly location: string;
    readonly signature: Uint8Array;
    readonly caveats: Array<{ identifier: Uint8Array; location?: string; vid?: Uint8Array }>;
    addFirstPartyCaveat(condition: string | Uint8Array): void;
    verify(rootKey: Uint8Array, check: (condition: string) => string | null, discharges?: Macaroon[]): void;
    exportBinary(): Uint8Array;
  }
  export function newMacaroon(params: {
    identifier: string | Uint8Array;
    location?: string;
    rootKey: string | Uint8Array;
    version?: 1 | 2;
  }): Macaroon;
  export function importMacaroon(data: string | Uint8Array): Macaroon;
}
