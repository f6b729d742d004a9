import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { AppError } from "../domain/errors.js";
import { withContext } from "./context.js";
import { expectPositionals, UsageError } from "./usage-error.js";

/** Usage of `loyalty coupons`. */
export const COUPONS_USAGE = `usage: loyalty coupons import <couponId> <FILE>
       loyalty coupons stock

import  adds the unique codes of FILE (one per line; blank lines and surrounding spaces ignored) to the
        coupon's pool in chunks of 100,000; duplicates in the file or the pool are counted, never stored
        twice, and waiting grants are served at once
stock   prints every coupon's free codes, codes handed out and grants waiting`;

const CHUNK = 100_000;

/** `loyalty coupons import|stock`. */
export async function couponsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(COUPONS_USAGE);
    return 0;
  }
  if (positionals[0] === "stock") {
    expectPositionals(positionals, ["stock"], COUPONS_USAGE);
    return withContext(async ({ services }) => {
      console.log(JSON.stringify(await services.couponAdmin.stock(), null, 2));
      return 0;
    });
  }
  const [verb, couponId, file] = expectPositionals(
    positionals,
    ["import|stock", "couponId", "FILE"],
    COUPONS_USAGE,
  );
  if (verb !== "import") throw new UsageError(`unknown coupons command "${verb}"`, COUPONS_USAGE);
  const codes = readCodes(file);
  return withContext(async ({ services }) => {
    try {
      for (let i = 0; i < codes.length; i += CHUNK) {
        console.log(
          JSON.stringify(await services.couponAdmin.importCodes(couponId, codes.slice(i, i + CHUNK))),
        );
      }
      return 0;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      console.error(`loyalty: ${error.message}`);
      return 1;
    }
  });
}

function readCodes(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read "${file}"`);
  }
  const codes = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const bad = codes.findIndex((c) => !/^[\x21-\x7e]{1,256}$/.test(c));
  if (bad !== -1)
    throw new UsageError(
      `${file}: code "${codes[bad].slice(0, 40)}" is not 1-256 printable ASCII characters without spaces`,
    );
  if (codes.length === 0) throw new UsageError(`${file}: no codes`);
  return codes;
}
