import TestSupport
import XCTest
@testable import CLI

/// `mlwb --help` and every `mlwb help COMMAND [SUBCOMMAND]` page as golden text, printed by the real binary.
final class HelpSnapshotTests: XCTestCase {
    /// Every command path: `show`, `checkpoints`, `checkpoints get`, …
    static func paths(_ commands: [any Command.Type], under prefix: [String] = []) -> [[String]] {
        commands.flatMap { command -> [[String]] in
            let path = prefix + [command.spec.name]
            return [path] + paths(command.subcommands, under: path)
        }
    }

    func testOverview() throws {
        let result = try ProcessRunner.mlwb(["--help"])
        XCTAssertEqual(result.status, 0, result.stderr)
        Snapshot.assert(result.stdout, named: "help")
    }

    func testEveryCommandsHelpPage() throws {
        let paths = Self.paths(MLWB.commands)
        XCTAssertGreaterThan(paths.count, 30)
        for path in paths {
            let result = try ProcessRunner.mlwb(["help"] + path)
            XCTAssertEqual(result.status, 0, "\(path): \(result.stderr)")
            Snapshot.assert(result.stdout, named: "help-" + path.joined(separator: "-"))
            // `mlwb PATH --help` prints the same page.
            let inline = try ProcessRunner.mlwb(path + ["--help"])
            XCTAssertEqual(inline.stdout, result.stdout, "\(path) --help")
        }
    }
}
