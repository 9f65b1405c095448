import Foundation
import TestSupport
import XCTest

/// `mlwb install`: the real binary installs itself, the installed and copied binaries find their assets.
final class InstallCommandTests: XCTestCase {
    func testInstallFindUninstall() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-install")
        defer { dir.remove() }
        let prefix = dir.file("prefix")
        let r = try ProcessRunner.mlwb(["install", "--prefix", prefix])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("installed \(prefix)/bin/mlwb"), r.stdout)
        XCTAssertTrue(r.stdout.contains("is not on your PATH"), r.stdout)
        for file in ["bin/mlwb", "share/mlwb/assets/checkpoints.json", "share/mlwb/assets/images/sample.png",
                     "share/mlwb/themes/light.theme", "share/mlwb/installed-files.txt"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + file), file)
        }
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: prefix + "/bin/mlwb"))

        // The installed binary, run from elsewhere, finds its catalogs in PREFIX/share/mlwb.
        let installed = try ProcessRunner.run(prefix + "/bin/mlwb", ["checkpoints", "list"], environment: ["MLWB_HOME": dir.file("home")],
                                              directory: dir.path)
        XCTAssertEqual(installed.status, 0, installed.stderr)
        XCTAssertTrue(installed.stdout.contains("mobilenet_v2"), installed.stdout)

        // A copy on its own says what to do; with the assets folder beside it, it works.
        let lone = dir.file("lone")
        try FileManager.default.createDirectory(atPath: lone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: prefix + "/bin/mlwb", toPath: lone + "/mlwb")
        let alone = try ProcessRunner.run(lone + "/mlwb", ["datasets", "list"], environment: ["MLWB_HOME": dir.file("home")], directory: dir.path)
        XCTAssertEqual(alone.status, 1)
        XCTAssertTrue(alone.stderr.contains("mlwb install --prefix DIR"), alone.stderr)
        try FileManager.default.copyItem(atPath: prefix + "/share/mlwb/assets", toPath: lone + "/assets")
        let beside = try ProcessRunner.run(lone + "/mlwb", ["datasets", "list"], environment: ["MLWB_HOME": dir.file("home")], directory: dir.path)
        XCTAssertEqual(beside.status, 0, beside.stderr)
        XCTAssertTrue(beside.stdout.contains("maestro-v2"), beside.stdout)

        // A file the last install listed but the new one does not have is removed on reinstall.
        let stale = prefix + "/share/mlwb/assets/old/gone.txt"
        try FileManager.default.createDirectory(atPath: prefix + "/share/mlwb/assets/old", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stale, contents: Data("x".utf8))
        let manifest = prefix + "/share/mlwb/installed-files.txt"
        try (String(contentsOfFile: manifest, encoding: .utf8) + "share/mlwb/assets/old/gone.txt\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        let again = try ProcessRunner.mlwb(["install", "--prefix", prefix])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("removed 1 file the earlier install had"), again.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + "/share/mlwb/assets/old"))

        // Uninstall removes exactly what was installed, folders included; a second one says nothing is there.
        FileManager.default.createFile(atPath: prefix + "/bin/other-tool", contents: Data("keep".utf8))
        let removed = try ProcessRunner.mlwb(["install", "--prefix", prefix, "--uninstall"])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + "/share"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: prefix + "/bin"), ["other-tool"])
        let nothing = try ProcessRunner.mlwb(["install", "--prefix", prefix, "--uninstall"])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertTrue(nothing.stderr.contains("nothing installed by mlwb"), nothing.stderr)
    }

    func testDryRunChangesNothing() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-install")
        defer { dir.remove() }
        let r = try ProcessRunner.mlwb(["install", "--prefix", dir.file("p"), "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("→ \(dir.file("p"))/share/mlwb/assets/checkpoints.json"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("p")))
    }
}
