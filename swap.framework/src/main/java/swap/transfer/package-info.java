/**
 * State transfer between the old and the new instance of a hot swap, negotiated as in K42: each
 * implementation states the protocols it can export and import as 64-bit vectors, and the swap
 * uses the highest protocol both understand. Bit 0 is the family's canonical format, which every
 * implementation of a family supports, so that any two can swap.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package swap.transfer;
