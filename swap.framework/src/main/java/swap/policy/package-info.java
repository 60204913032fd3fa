/**
 * Policies: services that watch swap components through interposed monitors and ask for swaps
 * when what they see calls for another implementation (K42's autonomic triggers). The framework
 * defines only what an operator needs to see and switch them; each policy lives in its own bundle
 * with its thresholds in Configuration Admin.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.policy;
