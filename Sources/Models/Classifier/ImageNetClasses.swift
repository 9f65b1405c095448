import Foundation
import Media

// MARK: - ImageNet class names

/// The 1000 ImageNet-1k class names in torchvision's index order (`assets/imagenet-classes.txt`).
public enum ImageNetClasses {
    /// The asset file holding one name per line.
    public static let assetName = "imagenet-classes.txt"

    /// The names from `path`, or from the assets folder; nil if the file cannot be found or has not 1000 lines.
    public static func load(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String]? {
        guard let file = path ?? Media.AssetLocator.path(assetName, environment: environment),
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let names = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let trimmed = names.last == "" ? Array(names.dropLast()) : names
        return trimmed.count == 1000 ? trimmed : nil
    }

    /// The label for class `index`: its name when known, else "class N".
    public static func label(_ index: Int, names: [String]?) -> String {
        if let names, index >= 0, index < names.count { return names[index] }
        return "class \(index)"
    }
}
