import Audio
import Media

/// Decides what kind of media a file is from its name (no I/O).
public enum MediaClassifier {
    static let audioExtensions: Set<String> = AudioFormat.readableExtensions
    static let midiExtensions: Set<String> = ["mid", "midi", "smf"]
    static let imageExtensions: Set<String> = ImageFormat.extensions

    /// The kind of the file at `path`: images in a `masks` folder or with "mask" in the name are masks.
    public static func kind(ofFile path: String) -> MediaKind {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .other }
        let ext = name[name.index(after: dot)...].lowercased()
        if imageExtensions.contains(ext) {
            let lower = path.lowercased()
            if lower.contains("/masks/") || lower.hasPrefix("masks/") || name.lowercased().contains("mask") { return .mask }
            return .image
        }
        if audioExtensions.contains(ext) { return .audio }
        if midiExtensions.contains(ext) { return .midi }
        return .other
    }
}
