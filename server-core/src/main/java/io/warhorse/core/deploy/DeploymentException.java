package io.warhorse.core.deploy;

/**
 * An app cannot be deployed. The message is one line an operator can act on, naming the app
 * ("app /shop (shop.war): not a WAR: not a zip file"); the cause, if any, is the app's own exception.
 */
public class DeploymentException extends Exception {

    public DeploymentException(String message) {
        super(message);
    }

    public DeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
