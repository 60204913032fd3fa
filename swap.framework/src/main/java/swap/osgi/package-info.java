/**
 * Swap components in OSGi: singleton components (a provider service with
 * {@code swap.component=<name>}, reached through a front the framework registers) and
 * many-instance components (a {@link swap.hotswap.ComponentFactory} service with
 * {@code swap.component} and {@code swap.impl}, reached through {@link swap.osgi.SwapComponents}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.osgi;
