import XCTest
@testable import CLI

final class ArgumentParserTests: XCTestCase {
    private let spec = CommandSpec(
        name: "demo", abstract: "a demo",
        positionals: [.init("IN", "input"), .init("MORE", "more", optional: true, variadic: true)],
        options: [.init("output", short: "o", value: "PATH", "where"), .init("show", "flag"),
                  .init("shift", value: "X", "number"), .init("mod", value: "KV", repeatable: true, "repeatable")])

    func testLongShortInlineAndFlags() throws {
        let p = try ArgumentParser.parse(["a.png", "-o", "out.png", "--shift=-0.5", "--show", "b.png"], spec: spec)
        XCTAssertEqual(p.positionals, ["a.png", "b.png"])
        XCTAssertEqual(p.value("output"), "out.png")
        XCTAssertEqual(p.value("shift"), "-0.5")
        XCTAssertTrue(p.flag("show"))
        XCTAssertFalse(p.helpRequested)
    }

    func testNegativeNumbersAreValuesNotOptions() throws {
        let p = try ArgumentParser.parse(["a", "--shift", "-3", "-1.5"], spec: spec)
        XCTAssertEqual(p.value("shift"), "-3")
        XCTAssertEqual(p.positionals, ["a", "-1.5"])
    }

    func testRepeatableOptionsKeepEveryValue() throws {
        let p = try ArgumentParser.parse(["a", "--mod", "zoom=1", "--mod", "rot-const=2"], spec: spec)
        XCTAssertEqual(p.all("mod"), ["zoom=1", "rot-const=2"])
    }

    func testDoubleDashEndsOptions() throws {
        let p = try ArgumentParser.parse(["--", "--show"], spec: spec)
        XCTAssertEqual(p.positionals, ["--show"])
        XCTAssertFalse(p.flag("show"))
    }

    func testUsageErrors() {
        func message(_ args: [String]) -> String {
            do { _ = try ArgumentParser.parse(args, spec: spec); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message([]), "missing argument IN (input)")
        XCTAssertEqual(message(["a", "--bogus"]), "unknown option '--bogus' for 'demo'")
        XCTAssertEqual(message(["a", "--sho"]), "unknown option '--sho' for 'demo' (did you mean --show?)")
        XCTAssertEqual(message(["a", "-x"]), "unknown option '-x' for 'demo'")
        XCTAssertEqual(message(["a", "--output"]), "option '--output' needs a value (PATH)")
        XCTAssertEqual(message(["a", "--show=yes"]), "--show is a flag and takes no value")
        XCTAssertEqual(message(["a", "-o", "x", "-o", "y"]), "option '--output' given more than once")
    }

    func testHelpSkipsArgumentChecks() throws {
        XCTAssertTrue(try ArgumentParser.parse(["--help"], spec: spec).helpRequested)
        XCTAssertTrue(spec.helpText.contains("-o, --output PATH"))
        XCTAssertEqual(spec.usageLine, "mlwb demo [options] IN [MORE...]")
    }

    func testTypedAccessorsCheckRanges() throws {
        let p = try ArgumentParser.parse(["a", "--shift", "7"], spec: spec)
        XCTAssertEqual(try p.int("shift", default: 0, in: 0...10), 7)
        XCTAssertThrowsError(try p.int("shift", default: 0, in: 0...5)) { XCTAssertEqual("\($0)", "--shift must be in 0...5, got 7") }
        XCTAssertEqual(try p.double("missing", default: 1.5), 1.5)
        let q = try ArgumentParser.parse(["a", "--shift", "x"], spec: spec)
        XCTAssertThrowsError(try q.double("shift", default: 0)) { XCTAssertEqual("\($0)", "--shift expects a number, got 'x'") }
    }

    func testEveryRegisteredCommandHasUniqueNameAndHelp() {
        let names = MLWB.commands.map { $0.spec.name }
        XCTAssertEqual(Set(names).count, names.count)
        for command in MLWB.commands {
            XCTAssertFalse(command.spec.abstract.isEmpty, command.spec.name)
            XCTAssertTrue(MLWB.overview.contains(command.spec.name))
        }
    }
}
