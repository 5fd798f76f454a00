import * as assert from "node:assert/strict";
import { parseArgs, numberOption, UsageError } from "../../src/cli/args";

const spec = { values: ["engine", "report", "budget"], flags: ["no-color"] };

describe("CLI argument parsing", () => {
  it("takes options anywhere before --, and passes everything after -- to the program", () => {
    const parsed = parseArgs(["prog.py", "--engine", "local", "a1", "--report=r.json", "--", "--engine", "x"], spec);
    assert.deepEqual(parsed.positionals, ["prog.py", "a1"]);
    assert.equal(parsed.options.get("engine"), "local");
    assert.equal(parsed.options.get("report"), "r.json");
    assert.deepEqual(parsed.passthrough, ["--engine", "x"]);
  });

  it("rejects unknown options, missing values and values on flags with a usage error", () => {
    assert.throws(() => parseArgs(["--nope"], spec), (e: unknown) => e instanceof UsageError && /unknown option --nope/.test(e.message));
    assert.throws(() => parseArgs(["f.py", "--engine"], spec), (e: unknown) => e instanceof UsageError && /needs a value/.test(e.message));
    assert.throws(() => parseArgs(["--no-color=1"], spec), UsageError);
  });

  it("validates numeric options", () => {
    assert.equal(numberOption(parseArgs(["--budget", "2.5"], spec), "budget"), 2.5);
    assert.equal(numberOption(parseArgs([], spec), "budget"), undefined);
    assert.throws(() => numberOption(parseArgs(["--budget", "soon"], spec), "budget"), /positive number/);
    assert.throws(() => numberOption(parseArgs(["--budget", "-1"], spec), "budget"), /positive number/);
  });
});
