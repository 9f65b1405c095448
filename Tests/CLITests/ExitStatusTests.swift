import Foundation
import TestSupport
import XCTest

/// Usage mistakes exit with status 2 and say what was meant, before any work: unknown ids in every
/// subcommand that takes one, and channels a layer does not have.
final class ExitStatusTests: XCTestCase {
    private var home: TemporaryDirectory!

    override func setUpWithError() throws { home = try TemporaryDirectory(prefix: "mlwb-cli-exit") }
    override func tearDown() { home.remove() }

    private func mlwb(_ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.mlwb(arguments, environment: ["MLWB_HOME": home.path], directory: home.path)
    }

    func testAnUnknownIDIsAUsageErrorWithADidYouMeanEverywhere() throws {
        let file = home.file("weights.pth")
        try Data("not weights".utf8).write(to: URL(fileURLWithPath: file))
        let cases: [([String], String)] = [
            (["checkpoints", "get", "mobilenet_v3"], "unknown checkpoint 'mobilenet_v3' (did you mean mobilenet_v2?)"),
            (["checkpoints", "download", "mobilenet_v3"], "unknown checkpoint 'mobilenet_v3' (did you mean mobilenet_v2?)"),
            (["checkpoints", "rm", "swift_f1"], "unknown checkpoint 'swift_f1' (did you mean swift_f0?)"),
            (["checkpoints", "remove", "swift_f1"], "unknown checkpoint 'swift_f1' (did you mean swift_f0?)"),
            (["checkpoints", "verify", "beatnet_4"], "unknown checkpoint 'beatnet_4' (did you mean beatnet_1?)"),
            (["checkpoints", "path", "beatnet-1"], "unknown checkpoint 'beatnet-1' (did you mean beatnet_1?)"),
            (["checkpoints", "import", file, "--id", "mobilenetv2"], "unknown checkpoint 'mobilenetv2' (did you mean mobilenet_v2?)"),
            (["datasets", "info", "mir-1kk"], "unknown dataset 'mir-1kk' (did you mean mir-1k?)"),
            (["datasets", "get", "mir-1kk"], "unknown dataset 'mir-1kk' (did you mean mir-1k?)"),
            (["datasets", "download", "mir-1kk"], "unknown dataset 'mir-1kk' (did you mean mir-1k?)"),
            (["datasets", "verify", "mir1k"], "unknown dataset 'mir1k' (did you mean mir-1k?)"),
            (["datasets", "split", "mir1k"], "unknown dataset 'mir1k' (did you mean mir-1k?)"),
            (["datasets", "rm", "mir1k"], "unknown dataset 'mir1k' (did you mean mir-1k?)"),
            (["models", "run", "swift-f1", home.file("absent.wav")], "unknown model 'swift-f1' (did you mean swift-f0?)"),
            (["models", "rm", "mosaic"], "unknown user model 'mosaic'; there are no user models"),
            (["models", "rm", "deepdream"], "'deepdream' is a built-in model"),
        ]
        for (arguments, expected) in cases {
            let r = try mlwb(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("Usage: mlwb "), "\(arguments): \(r.stderr)")
        }
        XCTAssertEqual(home.contents(), ["weights.pth"], "nothing was created in the store")
    }

    func testAChannelTheLayerDoesNotHaveIsAUsageErrorBeforeAnyWork() throws {
        // No checkpoint in the store and a picture that is not there: the channel is refused first.
        let picture = home.file("absent.png"), out = home.file("d.png")
        let cases: [([String], String)] = [
            (["dream", picture, "-o", out, "--objectives", "features.14:99999"],
             "channel 99999 is out of range for features.14, which has channels 0…159"),
            (["dream", picture, "-o", out, "--objectives", "features.10:5*0.5,features.0:32"],
             "channel 32 is out of range for features.0, which has channels 0…31"),
            (["dream", picture, "-o", out, "--layer", "features.0", "--channel", "32"],
             "channel 32 is out of range for features.0, which has channels 0…31"),
            (["dream", "--start", "noise", "-o", out, "--objectives", "features.19"], "unknown layer 'features.19'"),
            (["dream", "--start", "noise", "-o", out, "--objectives", "features.14:x"], "cannot read objective 'features.14:x'"),
        ]
        for (arguments, expected) in cases {
            let r = try mlwb(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("checkpoint"), "checked before the network is loaded: \(r.stderr)")
        }
        // The last channel of a layer is fine: the run gets as far as the missing checkpoint.
        let last = try mlwb(["dream", "--start", "noise", "-o", out, "--layer", "features.0", "--channel", "31"])
        XCTAssertEqual(last.status, 1, last.stderr)
        XCTAssertTrue(last.stderr.contains("checkpoint 'mobilenet_v2'"), last.stderr)
    }
}
