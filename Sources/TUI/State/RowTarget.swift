/// A row a click can select: what a pane line stands for.
public enum RowTarget: Equatable, Hashable, Sendable {
    /// A model in the Models list (index into `ModelsState.entries`).
    case model(Int)
    /// A form field of the selected model (its parameter's index; the count for `[ Run ]`).
    case field(Int)
    /// A Media entry (index into `MediaState.entries`).
    case media(Int)
    /// A Downloads row (transfers first, then datasets, as `DownloadsState.selected` counts).
    case download(Int)
}
