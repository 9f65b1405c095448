import Models
import XCTest
@testable import CLI

/// The parser, typed options and subcommand resolution, in process.
final class ArgumentParserTests: XCTestCase {
    private static let output = Option<String?>("output", short: "o", value: "PATH", help: "where")
    private static let show = Option<Bool>(flag: "show", help: "flag")
    private static let shift = Option<Double>("shift", default: 0, in: -10...10, help: "number")
    private static let count = Option<Int>("count", default: 3, in: 1...5, help: "count")
    private static let mods = Option<[String]>("mod", repeating: "KV", help: "repeatable")
    private let spec = CommandSpec(
        name: "demo", abstract: "a demo",
        positionals: [.init("IN", "input"), .init("MORE", "more", optional: true, variadic: true)],
        options: [output.spec, show.spec, shift.spec, count.spec, mods.spec])

    // MARK: Parsing

    func testLongShortInlineAndFlags() throws {
        let p = try ArgumentParser.parse(["a.png", "-o", "out.png", "--shift=-0.5", "--show", "b.png"], spec: spec)
        XCTAssertEqual(p.positionals, ["a.png", "b.png"])
        XCTAssertEqual(try p[Self.output], "out.png")
        XCTAssertEqual(try p[Self.shift], -0.5)
        XCTAssertTrue(try p[Self.show])
        XCTAssertEqual(try p[Self.count], 3, "absent options read their default")
        XCTAssertFalse(p.helpRequested)
    }

    func testNegativeNumbersAreValuesNotOptions() throws {
        let p = try ArgumentParser.parse(["a", "--shift", "-3", "-1.5"], spec: spec)
        XCTAssertEqual(try p[Self.shift], -3)
        XCTAssertEqual(p.positionals, ["a", "-1.5"])
    }

    func testRepeatableOptionsKeepEveryValue() throws {
        let p = try ArgumentParser.parse(["a", "--mod", "zoom=1", "--mod", "rot-const=2"], spec: spec)
        XCTAssertEqual(try p[Self.mods], ["zoom=1", "rot-const=2"])
    }

    func testDoubleDashEndsOptions() throws {
        let p = try ArgumentParser.parse(["--", "--show"], spec: spec)
        XCTAssertEqual(p.positionals, ["--show"])
        XCTAssertFalse(try p[Self.show])
    }

    func testUsageErrors() {
        func message(_ args: [String]) -> String {
            do { _ = try ArgumentParser.parse(args, spec: spec); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message([]), "missing argument IN (input)")
        XCTAssertEqual(message(["a", "--bogus"]), "unknown option '--bogus' for 'demo'")
        XCTAssertEqual(message(["a", "--sho"]), "unknown option '--sho' for 'demo' (did you mean --show?)")
        XCTAssertEqual(message(["a", "--shfit", "1"]), "unknown option '--shfit' for 'demo' (did you mean --shift?)")
        XCTAssertEqual(message(["a", "-x"]), "unknown option '-x' for 'demo'")
        XCTAssertEqual(message(["a", "--output"]), "option '--output' needs a value (PATH)")
        XCTAssertEqual(message(["a", "--show=yes"]), "--show is a flag and takes no value")
        XCTAssertEqual(message(["a", "-o", "x", "-o", "y"]), "option '--output' given more than once")
    }

    func testTypedOptionsCheckTheirRange() throws {
        func message(_ args: [String], _ read: (ParsedArguments) throws -> Void) -> String {
            do { try read(try ArgumentParser.parse(args, spec: spec)); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message(["a", "--count", "9"]) { _ = try $0[Self.count] }, "--count must be in 1–5, got 9")
        XCTAssertEqual(message(["a", "--count", "x"]) { _ = try $0[Self.count] }, "--count expects a whole number, got 'x'")
        XCTAssertEqual(message(["a", "--shift", "nan"]) { _ = try $0[Self.shift] }, "--shift expects a number, got 'nan'")
        XCTAssertEqual(message(["a", "--shift", "11"]) { _ = try $0[Self.shift] }, "--shift must be in -10–10, got 11")
    }

    func testHelpShowsDefaultsAndRanges() throws {
        XCTAssertTrue(try ArgumentParser.parse(["--help"], spec: spec).helpRequested)
        let help = spec.helpText(path: "demo")
        XCTAssertTrue(help.contains("-o, --output PATH"), help)
        XCTAssertTrue(help.contains("--count N") && help.contains("count (1–5; default: 3)"), help)
        XCTAssertEqual(spec.usageLine(path: "demo"), "mlwb demo [options] IN [MORE...]")
    }

    func testInlinePairsAcceptOnlyTheirKeys() throws {
        let pairs = ParsedArguments.splitPairs("center=0.5,0.25,blend=0.3,inwards")
        XCTAssertEqual(pairs.map(\.key), ["center", "blend", "inwards"])
        XCTAssertEqual(pairs[0].value, "0.5,0.25")
        XCTAssertNil(pairs[2].value)
        XCTAssertThrowsError(try MaskSpecOptions.parseInline("arcs:perod=3", channels: 1)) { error in
            XCTAssertTrue("\(error)".contains("has no setting 'perod' (did you mean period?)"), "\(error)")
        }
        XCTAssertThrowsError(try MaskSpecOptions.parseInline("solid:period=3", channels: 1), "solid masks do not move")
        XCTAssertEqual(try MaskSpecOptions.parseInline("arcs:period=30,blend=0.2", channels: 2).channelCount, 2)
    }

    // MARK: Options derived from model parameters

    func testModelParametersBecomeOptionsWithTheirRanges() throws {
        let specs = ParameterOptions.specs(BasicPitch.parameterSpecs)
        let onset = try XCTUnwrap(specs.first { $0.long == "onset-threshold" })
        XCTAssertEqual(onset.helpLine, "Onset activation needed to start a note (lower: more notes) (0.01–0.99; default: 0.5)")
        let melodia = try XCTUnwrap(specs.first { $0.long == "melodia-trick" })
        XCTAssertTrue(melodia.isFlag && melodia.negatable, "a parameter that defaults to on gets --no-…")
        XCTAssertEqual(melodia.synopsis, "--[no-]melodia-trick")

        let command = CommandSpec(name: "t", abstract: "t", options: specs)
        let parsed = try ArgumentParser.parse(["--onset-threshold", "0.6", "--no-melodia-trick", "--pitch-bends"], spec: command)
        let values = try ParameterOptions.read(BasicPitch.parameterSpecs, from: parsed)
        let settings = BasicPitch.settings(values)
        XCTAssertEqual(settings.onsetThreshold, 0.6)
        XCTAssertFalse(settings.melodiaTrick)
        XCTAssertTrue(settings.pitchBends)
        XCTAssertTrue(settings.inferOnsets)
        // The workbench form's range is the command line's range.
        let outside = try ArgumentParser.parse(["--onset-threshold", "0.001"], spec: command)
        XCTAssertThrowsError(try ParameterOptions.read(BasicPitch.parameterSpecs, from: outside)) { error in
            XCTAssertEqual("\(error)", "--onset-threshold must be in 0.01…0.99, got 0.001")
        }
    }

    // MARK: Subcommands

    func testSubcommandsHaveTheirOwnOptions() throws {
        let found = try CommandResolver.resolve(DatasetsCommand.self, path: "datasets", arguments: ["list", "--force"])
        XCTAssertEqual(found.path, "datasets list")
        XCTAssertThrowsError(try ArgumentParser.parse(found.arguments, spec: found.command.spec, path: found.path,
                                                      elsewhere: CommandResolver.siblingOptions(of: found))) { error in
            XCTAssertEqual("\(error)", "unknown option '--force' for 'datasets list' (it is an option of 'datasets get')")
        }
        let fallback = try CommandResolver.resolve(CheckpointsCommand.self, path: "checkpoints", arguments: [])
        XCTAssertEqual(fallback.path, "checkpoints list", "a group without a subcommand runs its default")
        let alias = try CommandResolver.resolve(CheckpointsCommand.self, path: "checkpoints", arguments: ["ls"])
        XCTAssertEqual(alias.path, "checkpoints list")
        XCTAssertThrowsError(try CommandResolver.resolve(CheckpointsCommand.self, path: "checkpoints", arguments: ["gte", "x"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown subcommand 'gte' for 'checkpoints' (did you mean get?)"), "\(error)")
        }
    }

    func testEveryRegisteredCommandHasUniqueNamesAndHelp() {
        func check(_ commands: [any Command.Type], under path: String) {
            let names = commands.map { $0.spec.name }
            XCTAssertEqual(Set(names).count, names.count, path)
            for command in commands {
                let full = path.isEmpty ? command.spec.name : path + " " + command.spec.name
                XCTAssertFalse(command.spec.abstract.isEmpty, full)
                let longs = command.spec.options.map(\.long)
                XCTAssertEqual(Set(longs).count, longs.count, "\(full) declares an option twice: \(longs)")
                let shorts = command.spec.options.compactMap(\.short)
                XCTAssertEqual(Set(shorts).count, shorts.count, "\(full) declares a short option twice")
                check(command.subcommands, under: full)
            }
        }
        check(MLWB.commands, under: "")
        for command in MLWB.commands { XCTAssertTrue(MLWB.overview.contains("  " + command.spec.name + " "), command.spec.name) }
    }
}
