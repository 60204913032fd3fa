/**
 * Hot swap: replacing the instance behind a live {@link swap.ott.Entry} while it is being
 * called, through a quiescence mediator (K42's Forward, Blocked and Transfer phases), with
 * negotiated {@linkplain swap.transfer.Transferable state transfer}, timeout, rollback and retry.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.hotswap;
