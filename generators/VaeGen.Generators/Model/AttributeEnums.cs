// The attributes' enums are defined once, in VaeGen.Abstractions, which users write against and the generator
// references. The generator reads attribute arguments as their underlying numbers and names each enum by its role.
global using LikelihoodKind = VaeGen.Likelihood;
global using ActivationKind = VaeGen.Activation;
global using DataKindValue = VaeGen.DataKind;
global using ObjectiveKind = VaeGen.Objective;
global using ScalingKind = VaeGen.FeatureScaling;
