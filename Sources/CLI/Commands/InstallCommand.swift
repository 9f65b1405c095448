import Foundation
import Media

/// `mlwb install [--prefix DIR] [--uninstall]`: puts the binary, assets and themes where a copied binary finds them.
enum InstallCommand: Command {
    static let prefix = Option<String?>("prefix", value: "DIR", help: "Install under DIR: DIR/bin/mlwb and DIR/share/mlwb (default: ~/.local)")
    static let uninstall = Option<Bool>(flag: "uninstall", help: "Remove what an earlier install put under the prefix")
    static let dryRun = Option<Bool>(flag: "dry-run", help: "List what would be copied, change nothing")

    static let spec = CommandSpec(
        name: "install",
        abstract: "Install this mlwb binary with its assets and themes under a prefix",
        options: [prefix.spec, uninstall.spec, dryRun.spec],
        discussion: "Run it from a build of the checkout (build with --static-swift-stdlib for a binary that runs on machines "
            + "without Swift). The installed binary finds its catalogs and sample media in PREFIX/share/mlwb/assets; any copy of the "
            + "binary also finds an assets folder beside itself, or the one MLWB_ASSETS names.",
        examples: ["swift build -c release --static-swift-stdlib --product mlwb && .build/release/mlwb install --prefix ~/.local",
                   "mlwb install --prefix /opt/mlwb --dry-run", "mlwb install --prefix ~/.local --uninstall"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        guard let root = try arguments[prefix] ?? context.environment["HOME"].map({ $0 + "/.local" }) else {
            throw UsageError("no --prefix given and HOME is not set")
        }
        let installer = Installer(prefix: root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root)
        if try arguments[uninstall] {
            if try arguments[dryRun] {
                for file in try installer.manifest() { context.print("would remove \(installer.path(file))") }
                return ExitStatus.success
            }
            let report = try installer.uninstall()
            context.print("removed \(report.removed) files from \(installer.prefix)")
            return ExitStatus.success
        }
        return try install(installer, dryRun: try arguments[dryRun], context: context)
    }

    private static func install(_ installer: Installer, dryRun: Bool, context: CommandContext) throws -> Int32 {
        guard let executable = AssetLocator.executablePath() else { throw InstallError("cannot find the running binary (/proc/self/exe)") }
        guard let assets = AssetLocator.directory(environment: context.environment) else {
            throw InstallError("no assets folder found to install; run the binary built in a checkout, or set MLWB_ASSETS")
        }
        let themes = AtomicFile.parentDirectory(of: assets) + "/themes"
        let items = try Installer.plan(executable: executable, assets: assets, themes: FileAccess.isDirectory(themes) ? themes : nil)
        if dryRun {
            for item in items { context.print("\(item.source) → \(installer.path(item.destination))") }
            return ExitStatus.success
        }
        if Installer.usesSharedSwiftRuntime() {
            context.printError("mlwb install: warning: this binary loads the Swift runtime from the toolchain, so the installed copy runs only "
                + "where that toolchain is; build with 'swift build -c release --static-swift-stdlib --product mlwb' for one that runs anywhere")
        }
        let report = try installer.install(items)
        var line = "installed \(installer.path("bin/mlwb"))\(report.binaryUnchanged ? " (already in place)" : "") and "
            + "\(items.count - 1) assets and themes in \(installer.path("share/mlwb")) (\(report.files) files, \(HumanReadable.bytes(report.bytes)))"
        if report.removed > 0 { line += "; removed \(report.removed) file\(report.removed == 1 ? "" : "s") the earlier install had" }
        context.print(line)
        let bin = installer.path("bin")
        let path = context.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        if !path.contains(bin) && !path.contains(bin + "/") {
            context.print("\(bin) is not on your PATH: add  export PATH=\"\(bin):$PATH\"  to your shell's profile")
        }
        return ExitStatus.success
    }
}
