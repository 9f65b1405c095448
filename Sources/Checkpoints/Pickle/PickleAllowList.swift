/// The only globals a checkpoint pickle may name. Each is interpreted by mlwb itself
/// (nothing is imported or called); any other global is refused when it is read.
enum PickleAllowList {
    /// What an allowed global stands for.
    enum Role: Equatable {
        case orderedDict
        case rebuildTensorV2
        case rebuildTensor
        case rebuildParameter
        case rebuildParameterWithState
        case rebuildFromTypeV2
        /// A typed storage class, used only inside persistent ids.
        case storageType(WeightDType)
        /// A type used only as a marker argument (torch.Tensor, Parameter).
        case typeMarker
    }

    // MARK: Lookup

    /// The role of `module.name`, or nil if it is not allowed.
    static func role(module: String, name: String) -> Role? {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch._utils", "_rebuild_parameter_with_state"): return .rebuildParameterWithState
        case ("torch._tensor", "_rebuild_from_type_v2"): return .rebuildFromTypeV2
        case ("torch", "Tensor"), ("torch.nn.parameter", "Parameter"): return .typeMarker
        case ("torch", _):
            if let dtype = WeightDType(torchStorageName: name) { return .storageType(dtype) }
            return nil
        default: return nil
        }
    }

    /// A summary of the allow-list for messages.
    static let summary = "collections.OrderedDict, torch._utils._rebuild_tensor_v2/_rebuild_tensor/_rebuild_parameter, torch.*Storage"
}
