package swap.internal.ott;

/** Where an implementation class comes from: a bundle's symbolic name and version. */
public record Origin(String bundle, String version) {
}
